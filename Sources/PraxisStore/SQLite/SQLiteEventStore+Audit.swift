import Foundation
import GRDB
public import PraxisProtocol

extension SQLiteEventStore {
    public func merkleRoot(size: Int64?) async throws(StoreError) -> (size: Int64, root: MerkleTree.Hash) {
        // A root, like a proof, reads a node per level of the tree (and at most eight leaves).
        try await reading(rows: Self.proofRows) { db in
            let head = try Self.head(db).value
            let size = size ?? head
            try Self.check(size, within: head, allowingZero: true)
            return (
                size, try MerkleTree.rangeHash(0..<size) { level, index in try SQLiteMerkle.node(db, level: level, index: index) }
            )
        }
    }

    public func inclusionProof(position: LogPosition, treeSize: Int64) async throws(StoreError) -> [MerkleTree.Hash] {
        try await reading(rows: Self.proofRows) { db in
            try Self.check(treeSize, within: try Self.head(db).value, allowingZero: false)
            guard (1...treeSize).contains(position.value) else {
                throw StoreError(.outOfRange, "position \(position) is not in a tree of \(treeSize) events")
            }
            return try MerkleTree.inclusionProof(index: position.value - 1, size: treeSize) { level, index in
                try SQLiteMerkle.node(db, level: level, index: index)
            }
        }
    }

    public func consistencyProof(first: Int64, second: Int64) async throws(StoreError) -> [MerkleTree.Hash] {
        try await reading(rows: Self.proofRows) { db in
            try Self.check(second, within: try Self.head(db).value, allowingZero: false)
            guard (1...second).contains(first) else {
                throw StoreError(.outOfRange, "the first size must be from 1 to the second, \(second)")
            }
            return try MerkleTree.consistencyProof(first: first, second: second) { level, index in
                try SQLiteMerkle.node(db, level: level, index: index)
            }
        }
    }

    public func signedTreeHeads(after size: Int64, limit: Int) async throws(StoreError) -> [SignedTreeHead] {
        let limit = Self.clamp(limit)
        return try await reading(rows: limit) { db in try SQLiteMerkle.signedTreeHeads(db, after: size, limit: limit) }
    }

    public func latestSignedTreeHead() async throws(StoreError) -> SignedTreeHead? {
        try await reading(rows: 1) { db in
            let size = try Int64.fetchOne(db, sql: "SELECT MAX(tree_size) FROM tree_heads") ?? 0
            return try SQLiteMerkle.signedTreeHeads(db, after: size - 1, limit: 1).first
        }
    }

    /// The rows a root or a proof reads at most: along each of two paths a node per level (64
    /// levels cover any log), and for the four levels not stored, at most eight leaves each.
    private static let proofRows = 2 * (64 + 4 * 8)

    private static func check(_ size: Int64, within head: Int64, allowingZero: Bool) throws {
        guard size <= head, size >= (allowingZero ? 0 : 1) else {
            throw StoreError(.outOfRange, "the log holds \(head) events; a tree of \(size) is not available")
        }
    }
}
