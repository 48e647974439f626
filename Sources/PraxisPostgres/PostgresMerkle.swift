import Foundation
import Logging
import NIOCore
import PostgresNIO
import PraxisProtocol
import PraxisStore

/// The log's Merkle tree in PostgreSQL: the nodes ``StoredMerkleNodes`` keeps, by level and index,
/// written in the append's transaction — the same layout as the SQLite log. Smaller subtrees are
/// hashed from their leaves' rows in the `events` table.
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

    /// Merkle nodes as column arrays.
    struct NewNodes {
        var levels: [Int32] = []
        var indexes: [Int64] = []
        var hashes: [ByteBuffer] = []
    }

    /// Adds `leaves` (in position order, following `accumulator.size`) and returns the nodes they
    /// complete.
    static func newNodes(_ accumulator: inout MerkleAccumulator, _ leaves: [MerkleLeaf]) -> NewNodes {
        var nodes = NewNodes()
        for leaf in leaves {
            for node in accumulator.append(leaf.hash) where StoredMerkleNodes.isStored(level: node.level) {
                nodes.levels.append(Int32(node.level))
                nodes.indexes.append(node.index)
                nodes.hashes.append(ByteBuffer(bytes: node.hash))
            }
        }
        return nodes
    }

    /// The nodes `wanted`, by (level, index): those kept in one query, the smaller ones hashed from
    /// their leaves' rows read in another.
    static func fetch(_ connection: PostgresConnection, _ wanted: [(level: Int, index: Int64)], logger: Logger) async throws
        -> [String: MerkleTree.Hash]
    {
        let stored = wanted.filter { StoredMerkleNodes.isStored(level: $0.level) }
        var found = try await fetchStored(connection, stored, logger: logger)
        let hashed = wanted.filter { !StoredMerkleNodes.isStored(level: $0.level) }
        guard !hashed.isEmpty else { return found }
        let positions = Set(hashed.flatMap { StoredMerkleNodes.leafPositions(level: $0.level, index: $0.index) })
        var leaves: [Int64: MerkleTree.Hash] = [:]
        for row in try PostgresEventStore.eventRows(
            try await connection.rows(
                "SELECT \(unescaped: leafColumns) FROM events WHERE position = ANY(\(positions.sorted()))", logger: logger))
        {
            leaves[row.position] = try row.merkleLeaf().hash
        }
        for node in hashed {
            guard let hash = StoredMerkleNodes.hash(level: node.level, index: node.index, leaves: { leaves[$0] }) else {
                throw StoreError(.corruptEvent, "the Merkle tree lacks the events under node \(node.level)/\(node.index)")
            }
            found["\(node.level)/\(node.index)"] = hash
        }
        return found
    }

    /// An event row's columns as ``PostgresEventStore/eventRows(_:)`` reads them, without the
    /// stored bytes, which a leaf does not need.
    private static let leafColumns =
        "position, id, stream, stream_version, type, schema_version, ''::BYTEA, hash, server_time, signature_algorithm, signature_key_id, signature"

    private static func fetchStored(
        _ connection: PostgresConnection, _ wanted: [(level: Int, index: Int64)], logger: Logger
    ) async throws -> [String: MerkleTree.Hash] {
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

/// The Merkle tree's right edges after this process's latest appends, kept before each commits.
/// An edge is reused only for a tree whose signed root it has: an append whose commit failed left
/// an edge of a tree that never was, and a tree another node built to the same size has another
/// root. Equal roots of equal sizes are the same tree.
struct RecentEdges: Sendable {
    private var edges: [(edge: MerkleAccumulator, root: MerkleTree.Hash)] = []
    /// Appends of this process commit in any order; a few suffice.
    private static let kept = 16

    /// Remembers the edge of a tree this process is about to commit.
    mutating func add(_ edge: MerkleAccumulator) {
        edges.append((edge, edge.root))
        if edges.count > Self.kept { edges.removeFirst() }
    }

    /// The edge of the tree of `size` leaves whose signed root is `signedRoot`, if remembered.
    func edge(size: Int64, signedRoot: MerkleTree.Hash?) -> MerkleAccumulator? {
        guard let signedRoot else { return nil }
        return edges.last { $0.edge.size == size && $0.root == signedRoot }?.edge
    }
}
