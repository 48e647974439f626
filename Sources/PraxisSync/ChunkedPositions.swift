/// Log positions appended in ascending order, kept in fixed-size chunks so that appending to a
/// copy that shares storage copies the last chunk and the list of chunks, not every position.
struct ChunkedPositions: Sendable {
    private static var chunkSize: Int { 4096 }
    private var chunks: [[Int64]] = []
    /// The last position of each chunk, so that finding a chunk touches one flat array: reading
    /// each chunk's last element was half of finding where a pull starts in every list.
    private var lasts: [Int64] = []

    /// A place in the list: a chunk and an offset in it; ``end`` when past the last position.
    struct Index: Comparable, Sendable {
        fileprivate var chunk: Int
        fileprivate var offset: Int

        static func < (left: Index, right: Index) -> Bool {
            (left.chunk, left.offset) < (right.chunk, right.offset)
        }
    }

    mutating func append(_ position: Int64) {
        if let last = chunks.indices.last, chunks[last].count < Self.chunkSize {
            chunks[last].append(position)
            lasts[last] = position
        } else {
            chunks.append([position])
            lasts.append(position)
        }
    }

    /// Past the last position.
    var end: Index { Index(chunk: chunks.count, offset: 0) }

    /// The index of the first position above `position` (``end`` when there is none), found by
    /// binary search.
    func firstIndex(after position: Int64) -> Index {
        let chunk = Self.firstIndex(in: lasts, above: position)
        guard chunk < chunks.count else { return end }
        return Index(chunk: chunk, offset: Self.firstIndex(in: chunks[chunk], above: position))
    }

    /// The index of the first of the ascending `values` above `position`; their count if none is.
    private static func firstIndex(in values: [Int64], above position: Int64) -> Int {
        values.withUnsafeBufferPointer { values in
            var low = 0
            var high = values.count
            while low < high {
                let middle = (low + high) / 2
                if values[middle] > position { high = middle } else { low = middle + 1 }
            }
            return low
        }
    }

    /// The index after `index`.
    func index(following index: Index) -> Index {
        guard index.chunk < chunks.count else { return end }
        let next = index.offset + 1
        return next < chunks[index.chunk].count
            ? Index(chunk: index.chunk, offset: next) : Index(chunk: index.chunk + 1, offset: 0)
    }

    /// The position at `index`, `nil` at ``end``.
    subscript(index: Index) -> Int64? {
        guard index.chunk < chunks.count, index.offset < chunks[index.chunk].count else { return nil }
        return chunks[index.chunk][index.offset]
    }
}
