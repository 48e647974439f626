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
        let (clock, treeHeadKey, logger) = (self.clock, self.treeHeadKey, self.logger)
        let knownEdge = self.knownEdge.withLock { $0 }
        let (result, edge) = try await run {
            try await self.client.withConnection { connection in
                try await connection.transaction(logger: logger) { connection in
                    // The sequencer: held until COMMIT, so positions become visible in order.
                    try await connection.execute(
                        "SELECT pg_advisory_xact_lock(\(PostgresSchema.sequencerLock))", logger: logger)
                    return try await Self.insert(
                        connection, events, conditions: conditions, serverTime: clock(), treeHeadKey: treeHeadKey,
                        knownEdge: knownEdge, logger: logger)
                }
            }
        }
        if let edge { self.knownEdge.withLock { $0 = edge } }
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

    /// Appends under the sequencer lock, in three round trips: one read (the head, every stream's
    /// version, whether any of the events is in the log already), the Merkle tree's right edge
    /// unless `knownEdge` is it already, and one statement writing the rows, the nodes and the
    /// signed head. Returns the tree's new edge with the result (none for a replay).
    private static func insert(
        _ connection: PostgresConnection, _ events: [AuthoredEvent], conditions: [StreamName: ExpectedVersion],
        serverTime: Timestamp, treeHeadKey: TreeHeadKey?, knownEdge: MerkleAccumulator?, logger: Logger
    ) async throws -> (AppendResult, MerkleAccumulator?) {
        let streams = Array(Set(conditions.keys).union(events.map(\.envelope.stream))).map(\.rawValue)
        let ids = events.map(\.envelope.id.wireString)
        var position: Int64 = 0
        var versions: [StreamName: Int64] = [:]
        var appendedBefore: Int64 = 0
        // The version of a stream is the top of its index entries, read per stream, not aggregated
        // over all of a long stream's events.
        for row in try await connection.rows(
            """
            SELECT 0, '', COALESCE(MAX(position), 0)::BIGINT FROM events
            UNION ALL
            SELECT 1, u.s, COALESCE((SELECT MAX(stream_version) FROM events WHERE stream = u.s COLLATE "C"), 0)::BIGINT
                FROM unnest(\(streams)::TEXT[]) AS u(s)
            UNION ALL
            SELECT 2, '', COUNT(*)::BIGINT FROM events WHERE id = ANY(\(ids))
            """, logger: logger)
        {
            let (kind, stream, value) = try row.decode((Int32, String, Int64).self)
            switch kind {
            case 0: position = value
            case 1: if let name = StreamName(stream) { versions[name] = value }
            default: appendedBefore = value
            }
        }
        if appendedBefore > 0, let replay = try await replayOfCommittedBatch(connection, events, logger: logger) {
            return (replay, nil)
        }
        func currentVersion(_ stream: StreamName) -> Int64 { versions[stream] ?? 0 }
        for (stream, expected) in conditions.sorted(by: { $0.key < $1.key }) {
            let actual = currentVersion(stream)
            guard expected.isMet(byCurrentVersion: actual) else {
                throw StoreError.wrongExpectedVersion(stream, expected: expected, actual: actual)
            }
        }
        // Nodes never change once written, so the edge of a tree of this size is still the one
        // this process computed after its last append, when no other node appended since.
        var tree =
            if let knownEdge, knownEdge.size == position { knownEdge } else {
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
        try await write(connection, records, nodes: nodes, head: head, key: treeHeadKey, logger: logger)
        return (AppendResult(events: records, wasAlreadyAppended: false), tree)
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
                SELECT p, i, s, v, t, sv, praxis_b64(c), praxis_b64(h), st, NULLIF(a, ''), NULLIF(k, ''),
                    praxis_b64(NULLIF(sig, ''))
                FROM unnest(\(rows.positions), \(rows.ids), \(rows.streams), \(rows.versions), \(rows.types),
                    \(rows.schemaVersions), \(rows.canonical), \(rows.hashes), \(rows.times), \(rows.algorithms),
                    \(rows.keyIDs), \(rows.signatures))
                    AS r(p, i, s, v, t, sv, c, h, st, a, k, sig)
            ), nodes AS (
                INSERT INTO merkle_nodes (level, idx, hash)
                SELECT l, i, praxis_b64(h) FROM unnest(\(nodes.levels), \(nodes.indexes), \(nodes.hashes)) AS n(l, i, h)
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

/// Event rows as column arrays, for inserts that unnest them. Bytes travel as base64url text and are
/// decoded in SQL; arrays cannot hold NULL here, so an unsigned event's signature columns travel as
/// '' and become NULL.
struct EventRowArrays {
    let positions: [Int64]
    let ids: [String]
    let streams: [String]
    let versions: [Int64]
    let types: [String]
    let schemaVersions: [Int64]
    let canonical: [String]
    let hashes: [String]
    let times: [Int64]
    let algorithms: [String]
    let keyIDs: [String]
    let signatures: [String]

    init(_ records: [RecordedEvent]) {
        let signed = records.map { StoredEvent.columns(of: $0.event.signature) }
        positions = records.map(\.position.value)
        ids = records.map(\.envelope.id.wireString)
        streams = records.map(\.envelope.stream.rawValue)
        versions = records.map(\.streamVersion)
        types = records.map(\.envelope.type.rawValue)
        schemaVersions = records.map(\.envelope.schemaVersion)
        canonical = records.map { Base64URL.encode($0.event.canonicalBytes) }
        hashes = records.map { Base64URL.encode($0.event.hash.bytes) }
        times = records.map(\.serverTime.millisecondsSinceEpoch)
        algorithms = signed.map { $0.0 ?? "" }
        keyIDs = signed.map { $0.1 ?? "" }
        signatures = signed.map { $0.2.map(Base64URL.encode) ?? "" }
    }
}
