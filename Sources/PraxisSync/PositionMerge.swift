/// The positions of several ascending lists, merged into one ascending sequence from a starting
/// point on: the events a member may see are the union of the lists of the scopes they read
/// (communities, their own streams, their mentoring links), and a pull page needs only the next
/// few of them. A binary heap keeps the lists' next positions; a position in more than one list
/// comes once.
struct PositionMerge {
    private struct Head {
        var position: Int64
        var list: Int
        var index: ChunkedPositions.Index
    }

    private let lists: [ChunkedPositions]
    private var heap: [Head] = []

    /// Merges `lists` from the first position above `after`.
    init(_ lists: [ChunkedPositions], after: Int64) {
        self.lists = lists
        for (number, list) in lists.enumerated() {
            let index = list.firstIndex(after: after)
            if let position = list[index] { heap.append(Head(position: position, list: number, index: index)) }
        }
        for parent in stride(from: heap.count / 2 - 1, through: 0, by: -1) { siftDown(parent) }
    }

    /// The next position, without taking it.
    var first: Int64? { heap.first?.position }

    /// Up to `count` next positions up to `through`, ascending.
    mutating func next(_ count: Int, through: Int64) -> [Int64] {
        var positions: [Int64] = []
        while positions.count < count, let position = first, position <= through {
            positions.append(position)
            _ = next()
        }
        return positions
    }

    /// The next position, if any is left.
    private mutating func next() -> Int64? {
        guard let position = heap.first?.position else { return nil }
        while let top = heap.first, top.position == position {
            let list = lists[top.list]
            let following = list.index(following: top.index)
            if let next = list[following] {
                heap[0] = Head(position: next, list: top.list, index: following)
            } else {
                heap[0] = heap[heap.count - 1]
                heap.removeLast()
            }
            if !heap.isEmpty { siftDown(0) }
        }
        return position
    }

    private mutating func siftDown(_ start: Int) {
        var parent = start
        while true {
            let left = 2 * parent + 1
            let right = left + 1
            var smallest = parent
            if left < heap.count && heap[left].position < heap[smallest].position { smallest = left }
            if right < heap.count && heap[right].position < heap[smallest].position { smallest = right }
            if smallest == parent { return }
            heap.swapAt(parent, smallest)
            parent = smallest
        }
    }
}
