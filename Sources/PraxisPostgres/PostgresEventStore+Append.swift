import Foundation
import Logging
import NIOCore
import PostgresNIO
public import PraxisProtocol
public import PraxisStore

extension PostgresEventStore {
    public func append(_ events: [AuthoredEvent], conditions: [StreamName: ExpectedVersion]) async throws(StoreError)
        -> AppendResult
    {
        try limits.check(events)
        let (clock, treeHeadKey, logger) = (self.clock, self.treeHeadKey, self.logger)
        let result = try await run {
            try await self.client.withConnection { connection in
                try await connection.transaction(logger: logger) { connection in
                    // The sequencer: held until COMMIT, so positions become visible in order.
                    try await connection.execute(
                        "SELECT pg_advisory_xact_lock(\(PostgresSchema.sequencerLock))", logger: logger)
                    if let replay = try await Self.replayOfCommittedBatch(connection, events, logger: logger) {
                        return replay
                    }
                    return try await Self.insert(
                        connection, events, conditions: conditions, serverTime: clock(), treeHeadKey: treeHeadKey,
                        logger: logger)
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

    private static func insert(
        _ connection: PostgresConnection, _ events: [AuthoredEvent], conditions: [StreamName: ExpectedVersion],
        serverTime: Timestamp, treeHeadKey: TreeHeadKey?, logger: Logger
    ) async throws -> AppendResult {
        // Every stream's version in one query: the conditions' and the batch's.
        let streams = Array(Set(conditions.keys).union(events.map(\.envelope.stream))).map(\.rawValue)
        var versions: [StreamName: Int64] = [:]
        for row in try await connection.rows(
            "SELECT stream, MAX(stream_version)::BIGINT FROM events WHERE stream = ANY(\(streams)) GROUP BY stream",
            logger: logger)
        {
            let (stream, version) = try row.decode((String, Int64).self)
            if let name = StreamName(stream) { versions[name] = version }
        }
        func currentVersion(_ stream: StreamName) -> Int64 { versions[stream] ?? 0 }
        for (stream, expected) in conditions.sorted(by: { $0.key < $1.key }) {
            let actual = currentVersion(stream)
            guard expected.isMet(byCurrentVersion: actual) else {
                throw StoreError.wrongExpectedVersion(stream, expected: expected, actual: actual)
            }
        }
        var position = try await head(connection, logger: logger).value
        var tree = try await PostgresMerkle.accumulator(connection, size: position, logger: logger)
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
        try await insertRows(connection, records, logger: logger)
        try await PostgresMerkle.append(connection, &tree, records.map(\.merkleLeaf), logger: logger)
        if let treeHeadKey {
            let head = treeHeadKey.sign(TreeHead(treeSize: tree.size, rootHash: tree.root, timestamp: serverTime))
            try await PostgresMerkle.recordKey(
                connection, id: treeHeadKey.keyID, publicKey: treeHeadKey.publicKey, logger: logger)
            try await PostgresMerkle.record(connection, head, logger: logger)
        }
        return AppendResult(events: records, wasAlreadyAppended: false)
    }

    /// Inserts event rows in one statement (arrays unnested; bytes travel as base64url text and
    /// are decoded in SQL); every writer of the `events` table goes through here.
    static func insertRows(_ connection: PostgresConnection, _ records: [RecordedEvent], logger: Logger) async throws {
        guard !records.isEmpty else { return }
        let signatures = records.map { StoredEventRow.columns(of: $0.event.signature) }
        let positions = records.map(\.position.value)
        let ids = records.map(\.envelope.id.wireString)
        let streams = records.map(\.envelope.stream.rawValue)
        let versions = records.map(\.streamVersion)
        let types = records.map(\.envelope.type.rawValue)
        let schemaVersions = records.map(\.envelope.schemaVersion)
        let canonical = records.map { Base64URL.encode($0.event.canonicalBytes) }
        let hashes = records.map { Base64URL.encode($0.event.hash.bytes) }
        let times = records.map(\.serverTime.millisecondsSinceEpoch)
        // Arrays cannot hold NULL here: an unsigned event's signature columns travel as '' and become NULL.
        let algorithms = signatures.map { $0.0 ?? "" }
        let keyIDs = signatures.map { $0.1 ?? "" }
        let values = signatures.map { $0.2.map(Base64URL.encode) ?? "" }
        try await connection.execute(
            """
            INSERT INTO events (position, id, stream, stream_version, type, schema_version, canonical, hash,
                server_time, signature_algorithm, signature_key_id, signature)
            SELECT p, i, s, v, t, sv, praxis_b64(c), praxis_b64(h), st, NULLIF(a, ''), NULLIF(k, ''),
                praxis_b64(NULLIF(sig, ''))
            FROM unnest(\(positions), \(ids), \(streams), \(versions), \(types), \(schemaVersions), \(canonical),
                \(hashes), \(times), \(algorithms), \(keyIDs), \(values))
                AS r(p, i, s, v, t, sv, c, h, st, a, k, sig)
            """, logger: logger)
    }
}
