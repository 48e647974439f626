import Foundation
import GRDB
import PraxisProtocol

/// The log's Merkle tree inside the SQLite file: the nodes ``StoredMerkleNodes`` keeps, written in
/// the transaction that appends the events; smaller subtrees are hashed from the `events` table.
enum SQLiteMerkle {
    static let createTable = """
        CREATE TABLE merkle_nodes (level INTEGER NOT NULL, idx INTEGER NOT NULL, hash BLOB NOT NULL,
            PRIMARY KEY (level, idx)) STRICT, WITHOUT ROWID
        """

    static let createTreeHeads = """
        CREATE TABLE tree_heads (tree_size INTEGER PRIMARY KEY, root BLOB NOT NULL, timestamp INTEGER NOT NULL,
            key_id TEXT NOT NULL, signature BLOB NOT NULL) STRICT
        """

    static let createServerKeys = """
        CREATE TABLE server_keys (key_id TEXT PRIMARY KEY, public_key BLOB NOT NULL) STRICT
        """

    /// Remembers a key that signs tree heads, so exports can name it.
    static func recordKey(_ db: Database, id: String, publicKey: [UInt8]) throws {
        try db.cachedStatement(sql: "INSERT OR IGNORE INTO server_keys VALUES (?, ?)").run(id, publicKey)
    }

    /// Every key that has signed tree heads, by id.
    static func keys(_ db: Database) throws -> [(id: String, publicKey: [UInt8])] {
        try Row.fetchAll(db, sql: "SELECT key_id, public_key FROM server_keys ORDER BY key_id").map {
            ($0[0], [UInt8]($0[1] as Data))
        }
    }

    /// Records a signed tree head (one per appended batch).
    static func record(_ db: Database, _ head: SignedTreeHead) throws {
        try db.cachedStatement(sql: "INSERT OR REPLACE INTO tree_heads VALUES (?, ?, ?, ?, ?)").run(
            head.head.treeSize, head.head.rootHash, head.head.timestamp.millisecondsSinceEpoch, head.keyID, head.signature)
    }

    static func signedTreeHeads(_ db: Database, after size: Int64, limit: Int) throws -> [SignedTreeHead] {
        try Row.fetchAll(
            db, sql: "SELECT * FROM tree_heads WHERE tree_size > ? ORDER BY tree_size LIMIT ?", arguments: [size, limit]
        ).map { row in
            SignedTreeHead(
                head: TreeHead(
                    treeSize: row["tree_size"], rootHash: [UInt8](row["root"] as Data),
                    timestamp: Timestamp(millisecondsSinceEpoch: row["timestamp"])),
                keyID: row["key_id"], signature: [UInt8](row["signature"] as Data))
        }
    }

    /// The accumulator for a tree of `size` leaves, from the stored right-edge nodes.
    static func accumulator(_ db: Database, size: Int64) throws -> MerkleAccumulator {
        var edge: [(level: Int, hash: MerkleTree.Hash)] = []
        var offset: Int64 = 0
        for level in stride(from: 62, through: 0, by: -1) where size & (Int64(1) << level) != 0 {
            edge.append((level, try node(db, level: level, index: offset >> level)))
            offset += Int64(1) << level
        }
        return MerkleAccumulator(size: size, edge: edge)
    }

    /// The hash of the perfect subtree `index` at `level` (leaves `index·2^level ..< (index+1)·2^level`).
    static func node(_ db: Database, level: Int, index: Int64) throws -> MerkleTree.Hash {
        guard StoredMerkleNodes.isStored(level: level) else { return try hashFromLeaves(db, level: level, index: index) }
        guard
            let data = try Data.fetchOne(
                db.cachedStatement(sql: "SELECT hash FROM merkle_nodes WHERE level = ? AND idx = ?"),
                arguments: [level, index])
        else { throw StoreError(.corruptEvent, "the Merkle tree lacks node \(level)/\(index)") }
        return [UInt8](data)
    }

    /// A node below ``StoredMerkleNodes/lowestLevel``, hashed from its leaves' rows.
    private static func hashFromLeaves(_ db: Database, level: Int, index: Int64) throws -> MerkleTree.Hash {
        let positions = StoredMerkleNodes.leafPositions(level: level, index: index)
        var leaves: [Int64: MerkleTree.Hash] = [:]
        for row in try SQLiteEventStore.fetchRows(
            db, where: "position BETWEEN ? AND ?", [positions.lowerBound, positions.upperBound])
        {
            leaves[row.position] = try row.merkleLeaf().hash
        }
        guard let hash = StoredMerkleNodes.hash(level: level, index: index, leaves: { leaves[$0] }) else {
            throw StoreError(.corruptEvent, "the Merkle tree lacks the events under node \(level)/\(index)")
        }
        return hash
    }

    /// Adds `leaves` (in position order, following `accumulator.size`), storing the new nodes
    /// ``StoredMerkleNodes`` keeps.
    static func append(_ db: Database, _ accumulator: inout MerkleAccumulator, _ leaves: [MerkleLeaf]) throws {
        let insert = try db.cachedStatement(sql: "INSERT INTO merkle_nodes (level, idx, hash) VALUES (?, ?, ?)")
        for leaf in leaves {
            for node in accumulator.append(leaf.hash) where StoredMerkleNodes.isStored(level: node.level) {
                try insert.run(node.level, node.index, node.hash)
            }
        }
    }

    /// Builds the tree for events that were appended before the log kept one (such logs hold no
    /// author signatures yet, so the leaves carry none).
    static func backfill(_ db: Database) throws {
        var accumulator = MerkleAccumulator()
        let rows = try Row.fetchCursor(db, sql: "SELECT position, hash, server_time FROM events ORDER BY position")
        var leaves: [MerkleLeaf] = []
        while let row = try rows.next() {
            guard let hash = EventHash(bytes: [UInt8](row[1] as Data)) else {
                throw StoreError(.corruptEvent, "the event at position \(row[0] as Int64) has no valid hash")
            }
            leaves.append(MerkleLeaf(position: row[0], eventHash: hash, serverTime: Timestamp(millisecondsSinceEpoch: row[2])))
            if leaves.count == 1000 {
                try append(db, &accumulator, leaves)
                leaves.removeAll(keepingCapacity: true)
            }
        }
        try append(db, &accumulator, leaves)
    }
}
