import Foundation
import Logging
import NIOCore
import PostgresNIO
import PraxisProtocol
import PraxisStore

/// The log's Merkle tree in PostgreSQL: every perfect subtree's hash by level and index, written in
/// the append's transaction — the same layout as the SQLite log.
enum PostgresMerkle {
    /// The accumulator for a tree of `size` leaves, from the stored right-edge nodes (one query).
    static func accumulator(_ connection: PostgresConnection, size: Int64, logger: Logger) async throws
        -> MerkleAccumulator
    {
        var wanted: [(level: Int, index: Int64)] = []
        var offset: Int64 = 0
        for level in stride(from: 62, through: 0, by: -1) where size & (Int64(1) << level) != 0 {
            wanted.append((level, offset >> level))
            offset += Int64(1) << level
        }
        let nodes = try await fetch(connection, wanted, logger: logger)
        return MerkleAccumulator(size: size, edge: try wanted.map { ($0.level, try hash(nodes, $0.level, $0.index)) })
    }

    /// Merkle nodes as column arrays, hashes as base64url text.
    struct NewNodes {
        var levels: [Int32] = []
        var indexes: [Int64] = []
        var hashes: [String] = []
    }

    /// Adds `leaves` (in position order, following `accumulator.size`) and returns the nodes they
    /// complete.
    static func newNodes(_ accumulator: inout MerkleAccumulator, _ leaves: [MerkleLeaf]) -> NewNodes {
        var nodes = NewNodes()
        for leaf in leaves {
            for node in accumulator.append(leaf.hash) {
                nodes.levels.append(Int32(node.level))
                nodes.indexes.append(node.index)
                nodes.hashes.append(Base64URL.encode(node.hash))
            }
        }
        return nodes
    }

    /// The nodes `wanted`, by (level, index).
    static func fetch(_ connection: PostgresConnection, _ wanted: [(level: Int, index: Int64)], logger: Logger) async throws
        -> [String: MerkleTree.Hash]
    {
        guard !wanted.isEmpty else { return [:] }
        var found: [String: MerkleTree.Hash] = [:]
        let levels = wanted.map { Int32($0.level) }
        let indexes = wanted.map(\.index)
        let rows = try await connection.rows(
            """
            SELECT m.level, m.idx, m.hash FROM merkle_nodes m
            JOIN unnest(\(levels), \(indexes)) AS w(l, i) ON m.level = w.l AND m.idx = w.i
            """, logger: logger)
        for row in rows {
            let (level, index, hash) = try row.decode((Int32, Int64, ByteBuffer).self)
            found["\(level)/\(index)"] = Array(hash.readableBytesView)
        }
        return found
    }

    static func hash(_ nodes: [String: MerkleTree.Hash], _ level: Int, _ index: Int64) throws -> MerkleTree.Hash {
        guard let hash = nodes["\(level)/\(index)"] else {
            throw StoreError(.corruptEvent, "the Merkle tree lacks node \(level)/\(index)")
        }
        return hash
    }

    /// Runs a tree algorithm over stored nodes: a first pass learns which nodes it reads (the
    /// pattern depends on sizes only, never on hash values), one query fetches them, a second pass
    /// computes the answer.
    static func compute<T>(
        _ connection: PostgresConnection, logger: Logger, _ algorithm: ((Int, Int64) throws -> MerkleTree.Hash) throws -> T
    ) async throws -> T {
        var wanted: [(level: Int, index: Int64)] = []
        _ = try algorithm { level, index in
            wanted.append((level, index))
            return MerkleTree.emptyRoot
        }
        let nodes = try await fetch(connection, wanted, logger: logger)
        return try algorithm { level, index in try hash(nodes, level, index) }
    }

    static func recordKey(_ connection: PostgresConnection, id: String, publicKey: [UInt8], logger: Logger) async throws {
        try await connection.execute(
            "INSERT INTO server_keys VALUES (\(id), \(ByteBuffer(bytes: publicKey))) ON CONFLICT DO NOTHING", logger: logger)
    }

    static func record(_ connection: PostgresConnection, _ head: SignedTreeHead, logger: Logger) async throws {
        try await connection.execute(
            """
            INSERT INTO tree_heads VALUES (\(head.head.treeSize), \(ByteBuffer(bytes: head.head.rootHash)),
                \(head.head.timestamp.millisecondsSinceEpoch), \(head.keyID), \(ByteBuffer(bytes: head.signature)))
            ON CONFLICT (tree_size) DO UPDATE SET root = EXCLUDED.root, timestamp = EXCLUDED.timestamp,
                key_id = EXCLUDED.key_id, signature = EXCLUDED.signature
            """, logger: logger)
    }
}
