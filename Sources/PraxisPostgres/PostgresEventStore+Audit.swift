import Foundation
import NIOCore
import PostgresNIO
public import PraxisProtocol
public import PraxisStore

extension PostgresEventStore {
    public func merkleRoot(size: Int64?) async throws(StoreError) -> (size: Int64, root: MerkleTree.Hash) {
        let logger = self.logger
        return try await run {
            try await self.client.withConnection { connection in
                let head = try await Self.head(connection, logger: logger).value
                let size = size ?? head
                try Self.check(size, within: head, allowingZero: true)
                let root = try await PostgresMerkle.compute(connection, logger: logger) { node in
                    try MerkleTree.rangeHash(0..<size, perfect: node)
                }
                return (size, root)
            }
        }
    }

    public func inclusionProof(position: LogPosition, treeSize: Int64) async throws(StoreError) -> [MerkleTree.Hash] {
        let logger = self.logger
        return try await run {
            try await self.client.withConnection { connection in
                try Self.check(treeSize, within: try await Self.head(connection, logger: logger).value, allowingZero: false)
                guard (1...treeSize).contains(position.value) else {
                    throw StoreError(.outOfRange, "position \(position) is not in a tree of \(treeSize) events")
                }
                return try await PostgresMerkle.compute(connection, logger: logger) { node in
                    try MerkleTree.inclusionProof(index: position.value - 1, size: treeSize, perfect: node)
                }
            }
        }
    }

    public func consistencyProof(first: Int64, second: Int64) async throws(StoreError) -> [MerkleTree.Hash] {
        let logger = self.logger
        return try await run {
            try await self.client.withConnection { connection in
                try Self.check(second, within: try await Self.head(connection, logger: logger).value, allowingZero: false)
                guard (1...second).contains(first) else {
                    throw StoreError(.outOfRange, "the first size must be from 1 to the second, \(second)")
                }
                return try await PostgresMerkle.compute(connection, logger: logger) { node in
                    try MerkleTree.consistencyProof(first: first, second: second, perfect: node)
                }
            }
        }
    }

    public func signedTreeHeads(after size: Int64, limit: Int) async throws(StoreError) -> [SignedTreeHead] {
        let limit = Self.clamp(limit)
        return try await heads("SELECT * FROM tree_heads WHERE tree_size > \(size) ORDER BY tree_size LIMIT \(limit)")
    }

    public func latestSignedTreeHead() async throws(StoreError) -> SignedTreeHead? {
        try await heads("SELECT * FROM tree_heads ORDER BY tree_size DESC LIMIT 1").first
    }

    public func signingKeys() async throws(StoreError) -> [(id: String, publicKey: [UInt8])] {
        let keys = try await run {
            try await self.client.rows("SELECT key_id, public_key FROM server_keys ORDER BY key_id", logger: self.logger)
                .map { row in
                    let (id, key) = try row.decode((String, ByteBuffer).self)
                    return KeyRow(id: id, publicKey: Array(key.readableBytesView))
                }
        }
        return keys.map { ($0.id, $0.publicKey) }
    }

    private struct KeyRow: Sendable {
        let id: String
        let publicKey: [UInt8]
    }

    private func heads(_ query: PostgresQuery) async throws(StoreError) -> [SignedTreeHead] {
        try await run {
            var heads: [SignedTreeHead] = []
            for row in try await self.client.rows(query, logger: self.logger) {
                let (size, root, time, keyID, signature) = try row.decode(
                    (Int64, ByteBuffer, Int64, String, ByteBuffer).self)
                heads.append(
                    SignedTreeHead(
                        head: TreeHead(
                            treeSize: size, rootHash: Array(root.readableBytesView),
                            timestamp: Timestamp(millisecondsSinceEpoch: time)),
                        keyID: keyID, signature: Array(signature.readableBytesView)))
            }
            return heads
        }
    }

    private static func check(_ size: Int64, within head: Int64, allowingZero: Bool) throws {
        guard size <= head, size >= (allowingZero ? 0 : 1) else {
            throw StoreError(.outOfRange, "the log holds \(head) events; a tree of \(size) is not available")
        }
    }
}
