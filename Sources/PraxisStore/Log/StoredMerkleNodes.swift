package import PraxisProtocol

/// Which nodes of the log's Merkle tree a store keeps, the same in every store: the hash of every
/// perfect subtree of at least sixteen leaves, keyed by level and index, written in the transaction
/// that appends the events. A smaller subtree is hashed again from its at most eight leaves' rows
/// when a proof or the next append needs it. Keeping them all was fifteen of every sixteen node
/// rows and a sixth of an append's time; logs written before keep those rows, unread.
package enum StoredMerkleNodes {
    /// The lowest level kept.
    package static let lowestLevel = 4

    /// Whether the node at `level` is kept.
    package static func isStored(level: Int) -> Bool { level >= lowestLevel }

    /// The log positions of the leaves under node `index` at `level` (leaf `i` is position `i + 1`).
    package static func leafPositions(level: Int, index: Int64) -> ClosedRange<Int64> {
        let count = Int64(1) << level
        return (index * count + 1)...(index * count + count)
    }

    /// The node's hash from its leaves, in position order; nil when any is missing.
    package static func hash(level: Int, index: Int64, leaves: (Int64) -> MerkleTree.Hash?) -> MerkleTree.Hash? {
        var hashes: [MerkleTree.Hash] = []
        for position in leafPositions(level: level, index: index) {
            guard let leaf = leaves(position) else { return nil }
            hashes.append(leaf)
        }
        return MerkleTree.root(of: hashes[...])
    }
}
