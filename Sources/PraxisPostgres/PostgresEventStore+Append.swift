import Foundation
import Logging
import NIOCore
import PostgresNIO
public import PraxisProtocol
public import PraxisStore
import Synchronization

extension PostgresEventStore {
    public func append(_ events: [AuthoredEvent], conditions: [StreamName: ExpectedVersion]) async throws(StoreError)
        -> AppendResult
    {
        try limits.check(events)
        let result = try await run {
            try await self.client.withConnection { connection in
                try await connection.transaction(logger: self.logger) { connection in
                    try await self.insert(connection, events, conditions: conditions, serverTime: self.clock())
                }
            }
        }
        if !result.wasAlreadyAppended, let last = result.events.last {
            await signal.advance(to: last.position)
        }
        return result
    }

    private static func replayOfCommittedBatch(_ connection: PostgresConnection, _ events: [AuthoredEvent], logger: Logger)
        async throws -> AppendResult?
    {
        let ids = events.map(\.envelope.id.wireString)
        let found = try eventRows(
            try await connection.rows("SELECT \(unescaped: rowColumns) FROM events WHERE id = ANY(\(ids))", logger: logger))
        if found.isEmpty { return nil }
        var records: [String: RecordedEvent] = [:]
        for row in found { records[row.id] = try row.decode() }
        for event in events {
            if let record = records[event.envelope.id.wireString], record.event.hash != event.hash {
                throw StoreError.idConflict(event.envelope.id)
            }
        }
        guard records.count == events.count else {
            throw StoreError(
                .partialDuplicate,
                "\(records.count) of the batch's \(events.count) events were appended before; resend the original batch unchanged"
            )
        }
        return AppendResult(events: events.compactMap { records[$0.envelope.id.wireString] }, wasAlreadyAppended: true)
    }

    /// Appends in two round trips before the commit: one takes the sequencer lock and reads (the
    /// head, the root signed for it, every stream's version, whether any of the events is in the
    /// log already), one statement writes the rows, the nodes and the signed head. A third reads
    /// the Merkle tree's right edge unless one of ``recentEdges`` is the edge of the head's tree; the
    /// new edge joins them before the commit.
    private func insert(
        _ connection: PostgresConnection, _ events: [AuthoredEvent], conditions: [StreamName: ExpectedVersion],
        serverTime: Timestamp
    ) async throws -> AppendResult {
        let logger = self.logger
        let streams = Array(Set(conditions.keys).union(events.map(\.envelope.stream))).map(\.rawValue)
        let ids = events.map(\.envelope.id.wireString)
        var position: Int64 = 0
        var versions: [StreamName: Int64] = [:]
        var appendedBefore: Int64 = 0
        var signedRoot: MerkleTree.Hash?
        // The sequencer (held until COMMIT, so positions become visible in order), then the head
        // and the root signed for it, each stream's version (the top of its index entries, not an
        // aggregate over a long stream's events) and how many of the events are in the log already.
        for row in try await connection.rows(
            "SELECT * FROM praxis_begin_append(\(streams)::TEXT[], \(ids)::TEXT[])", logger: logger)
        {
            let (kind, stream, value, root) = try row.decode((Int32, String, Int64, ByteBuffer?).self)
            switch kind {
            case 0:
                position = value
                signedRoot = root.map { Array($0.readableBytesView) }
            case 1: if let name = StreamName(stream) { versions[name] = value }
            default: appendedBefore = value
            }
        }
        if appendedBefore > 0, let replay = try await Self.replayOfCommittedBatch(connection, events, logger: logger) {
            return replay
        }
        func currentVersion(_ stream: StreamName) -> Int64 { versions[stream] ?? 0 }
        for (stream, expected) in conditions.sorted(by: { $0.key < $1.key }) {
            let actual = currentVersion(stream)
            guard expected.isMet(byCurrentVersion: actual) else {
                throw StoreError.wrongExpectedVersion(stream, expected: expected, actual: actual)
            }
        }
        var tree =
            if let known = recentEdges.withLock({ $0.edge(size: position, signedRoot: signedRoot) }) { known } else {
                try await PostgresMerkle.accumulator(connection, size: position, logger: logger)
            }
        var records: [RecordedEvent] = []
        records.reserveCapacity(events.count)
        for event in events {
            position += 1
            let streamVersion = currentVersion(event.envelope.stream) + 1
            versions[event.envelope.stream] = streamVersion
            records.append(
                RecordedEvent(
                    position: LogPosition(position), streamVersion: streamVersion, serverTime: serverTime, event: event))
        }
        let nodes = PostgresMerkle.newNodes(&tree, records.map(\.merkleLeaf))
        let head = treeHeadKey.map { $0.sign(TreeHead(treeSize: tree.size, rootHash: tree.root, timestamp: serverTime)) }
        try await Self.write(connection, records, nodes: nodes, head: head, key: treeHeadKey, logger: logger)
        recentEdges.withLock { [tree] in $0.add(tree) }
        return AppendResult(events: records, wasAlreadyAppended: false)
    }

    /// Writes event rows, their Merkle nodes and the signed head, if any (with the key that signed
    /// it, once), in one statement; every writer of the `events` table goes through here.
    static func write(
        _ connection: PostgresConnection, _ records: [RecordedEvent], nodes: PostgresMerkle.NewNodes,
        head: SignedTreeHead?, key: TreeHeadKey?, logger: Logger
    ) async throws {
        let rows = EventRowArrays(records)
        try await connection.execute(
            """
            WITH written AS (
                INSERT INTO events (position, id, stream, stream_version, type, schema_version, canonical, hash,
                    server_time, signature_algorithm, signature_key_id, signature)
                SELECT p, i, s, v, t, sv, c, h, st, NULLIF(a, ''), NULLIF(k, ''), NULLIF(sig, ''::BYTEA)
                FROM unnest(\(rows.positions), \(rows.ids), \(rows.streams), \(rows.versions), \(rows.types),
                    \(rows.schemaVersions), \(rows.canonical), \(rows.hashes), \(rows.times), \(rows.algorithms),
                    \(rows.keyIDs), \(rows.signatures))
                    AS r(p, i, s, v, t, sv, c, h, st, a, k, sig)
            ), nodes AS (
                INSERT INTO merkle_nodes (level, idx, hash)
                SELECT l, i, h FROM unnest(\(nodes.levels), \(nodes.indexes), \(nodes.hashes)) AS n(l, i, h)
            ), signer AS (
                INSERT INTO server_keys
                SELECT k, pk FROM (VALUES (\(key?.keyID)::TEXT, \(key.map { ByteBuffer(bytes: $0.publicKey) })::BYTEA))
                    AS v(k, pk) WHERE k IS NOT NULL
                ON CONFLICT DO NOTHING
            )
            INSERT INTO tree_heads
            SELECT s, r, t, k, sig FROM (VALUES (\(head?.head.treeSize)::BIGINT,
                \(head.map { ByteBuffer(bytes: $0.head.rootHash) })::BYTEA, \(head?.head.timestamp.millisecondsSinceEpoch)::BIGINT,
                \(head?.keyID)::TEXT, \(head.map { ByteBuffer(bytes: $0.signature) })::BYTEA))
                AS v(s, r, t, k, sig) WHERE s IS NOT NULL
            ON CONFLICT (tree_size) DO UPDATE SET root = EXCLUDED.root, timestamp = EXCLUDED.timestamp,
                key_id = EXCLUDED.key_id, signature = EXCLUDED.signature
            """, logger: logger)
    }
}

/// Event rows as column arrays, for inserts that unnest them; bytes travel as `BYTEA` arrays in
/// binary. Arrays cannot hold NULL here, so an unsigned event's signature columns travel empty and
/// become NULL. (Base64url text decoded in SQL cost a third of the write's time under the lock.)
struct EventRowArrays {
    let positions: [Int64]
    let ids: [String]
    let streams: [String]
    let versions: [Int64]
    let types: [String]
    let schemaVersions: [Int64]
    let canonical: [ByteBuffer]
    let hashes: [ByteBuffer]
    let times: [Int64]
    let algorithms: [String]
    let keyIDs: [String]
    let signatures: [ByteBuffer]

    init(_ records: [RecordedEvent]) {
        let signed = records.map { StoredEvent.columns(of: $0.event.signature) }
        positions = records.map(\.position.value)
        ids = records.map(\.envelope.id.wireString)
        streams = records.map(\.envelope.stream.rawValue)
        versions = records.map(\.streamVersion)
        types = records.map(\.envelope.type.rawValue)
        schemaVersions = records.map(\.envelope.schemaVersion)
        canonical = records.map { ByteBuffer(bytes: $0.event.canonicalBytes) }
        hashes = records.map { ByteBuffer(bytes: $0.event.hash.bytes) }
        times = records.map(\.serverTime.millisecondsSinceEpoch)
        algorithms = signed.map { $0.0 ?? "" }
        keyIDs = signed.map { $0.1 ?? "" }
        signatures = signed.map { ByteBuffer(bytes: $0.2 ?? []) }
    }
}
