/// The largest distinct log positions seen so far, at most `capacity` of them: the positions a
/// feed page shows when it merges several sources read newest first.
struct NewestPositions {
    let capacity: Int
    /// Kept newest first.
    private(set) var positions: [Int64] = []

    init(capacity: Int) {
        self.capacity = capacity
        positions.reserveCapacity(capacity + 1)
    }

    /// No position at or below this one can enter any more: a source may start its reading above it.
    var floor: Int64 { positions.count < capacity ? Int64.min : positions[positions.count - 1] }

    mutating func insert(_ position: Int64) {
        guard position > floor else { return }
        var low = 0
        var high = positions.count
        while low < high {
            let middle = (low + high) / 2
            if positions[middle] > position { low = middle + 1 } else { high = middle }
        }
        guard low == positions.count || positions[low] != position else { return }
        positions.insert(position, at: low)
        if positions.count > capacity { positions.removeLast() }
    }
}
