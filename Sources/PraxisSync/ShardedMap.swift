/// A dictionary split into a fixed number of shards by key hash. A value type like `Dictionary`,
/// but changing one key of a copy that shares storage with another copies one shard, not every
/// entry: the sync view is copied for each request that reads it while catch-ups keep changing it,
/// and copying a map of every post in the log on each catch-up was most of the view's cost.
struct ShardedMap<Key: Hashable & Sendable, Value: Sendable>: Sendable {
    private static var shardCount: Int { 256 }
    private var shards = [[Key: Value]](repeating: [:], count: Self.shardCount)

    subscript(key: Key) -> Value? {
        get { shards[Self.shard(of: key)][key] }
        set { shards[Self.shard(of: key)][key] = newValue }
    }

    private static func shard(of key: Key) -> Int {
        Int(UInt(bitPattern: key.hashValue) % UInt(shardCount))
    }
}

/// Log positions appended in ascending order, kept in fixed-size chunks so that appending to a
/// copy that shares storage copies the last chunk and the list of chunks, not every position.
struct ChunkedPositions: Sendable {
    private static var chunkSize: Int { 4096 }
    private var chunks: [[Int64]] = []

    mutating func append(_ position: Int64) {
        if let last = chunks.indices.last, chunks[last].count < Self.chunkSize {
            chunks[last].append(position)
        } else {
            chunks.append([position])
        }
    }

    /// The positions `p` with `after < p ≤ through`, ascending.
    func positions(after: Int64, through: Int64) -> [Int64] {
        chunks.lazy.filter { chunk in
            guard let first = chunk.first, let last = chunk.last else { return false }
            return last > after && first <= through
        }.flatMap { $0.filter { $0 > after && $0 <= through } }
    }
}
