/// A set of communities by their numbers in a ``CommunityNumbering``, one bit each: a member's
/// scope in a few machine words however many communities they may read, compared and combined a
/// word at a time.
struct CommunityBits: Sendable, Equatable, Sequence {
    typealias Number = CommunityNumbering.Number
    /// Bit `n % 64` of word `n / 64` is number `n`. No zero words at the end, so equal sets have
    /// equal words.
    private var words: [UInt64] = []

    init() {}

    init(_ numbers: some Sequence<Number>) {
        for number in numbers { insert(number) }
    }

    var isEmpty: Bool { words.isEmpty }

    var count: Int { words.reduce(0) { $0 + $1.nonzeroBitCount } }

    /// One more than the highest number in the set; 0 when it is empty.
    var end: Int {
        guard let last = words.last else { return 0 }
        return (words.count - 1) * 64 + (64 - last.leadingZeroBitCount)
    }

    func contains(_ number: Number) -> Bool {
        let (word, bit) = Self.place(number)
        return word < words.count && words[word] & bit != 0
    }

    mutating func insert(_ number: Number) {
        let (word, bit) = Self.place(number)
        if word >= words.count { words += repeatElement(0, count: word - words.count + 1) }
        words[word] |= bit
    }

    mutating func remove(_ number: Number) {
        let (word, bit) = Self.place(number)
        guard word < words.count else { return }
        words[word] &= ~bit
        trim()
    }

    func subtracting(_ other: CommunityBits) -> CommunityBits {
        var result = self
        for index in result.words.indices.prefix(other.words.count) { result.words[index] &= ~other.words[index] }
        result.trim()
        return result
    }

    /// The numbers in ascending order.
    func makeIterator() -> Iterator { Iterator(words: words) }

    /// Walks the set bits, lowest first.
    struct Iterator: IteratorProtocol {
        private let words: [UInt64]
        private var index = 0
        private var remaining: UInt64

        fileprivate init(words: [UInt64]) {
            self.words = words
            remaining = words.first ?? 0
        }

        mutating func next() -> Number? {
            while remaining == 0 {
                index += 1
                guard index < words.count else { return nil }
                remaining = words[index]
            }
            let bit = remaining.trailingZeroBitCount
            remaining &= remaining - 1
            return Number(index * 64 + bit)
        }
    }

    private static func place(_ number: Number) -> (word: Int, bit: UInt64) {
        (Int(number / 64), 1 << UInt64(number % 64))
    }

    private mutating func trim() {
        while words.last == 0 { words.removeLast() }
    }
}
