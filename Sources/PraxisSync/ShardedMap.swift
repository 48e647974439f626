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

    /// Changes the value of `key` in place (`value` first when there is none), so that a value
    /// this map alone holds is not copied to be changed.
    mutating func update(_ key: Key, default value: @autoclosure () -> Value, _ change: (inout Value) -> Void) {
        change(&shards[Self.shard(of: key)][key, default: value()])
    }

    private static func shard(of key: Key) -> Int {
        Int(UInt(bitPattern: key.hashValue) % UInt(shardCount))
    }
}
