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
            try await self.client.withTransaction(logger: logger) { connection in
                // The sequencer: held until COMMIT, so positions become visible in order.
                try await connection.query("SELECT pg_advisory_xact_lock(\(PostgresSchema.sequencerLock))", logger: logger)
                if let replay = try await Self.replayOfCommittedBatch(connection, events, logger: logger) { return replay }
                return try await Self.insert(
                    connection, events, conditions: conditions, serverTime: clock(), treeHeadKey: treeHeadKey, logger: logger)
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
        let found = try await rows(
            try await connection.query(
                "SELECT \(unescaped: rowColumns) FROM events WHERE id = ANY(\(ids))", logger: logger))
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
        var versions: [StreamName: Int64] = [:]
        func currentVersion(_ stream: StreamName) async throws -> Int64 {
            if let known = versions[stream] { return known }
            var version: Int64 = 0
            for try await value in try await connection.query(
                "SELECT COALESCE(MAX(stream_version), 0)::BIGINT FROM events WHERE stream = \(stream.rawValue)", logger: logger
            ).decode(Int64.self) {
                version = value
            }
            versions[stream] = version
            return version
        }
        for (stream, expected) in conditions.sorted(by: { $0.key < $1.key }) {
            let actual = try await currentVersion(stream)
            guard expected.isMet(byCurrentVersion: actual) else {
                throw StoreError.wrongExpectedVersion(stream, expected: expected, actual: actual)
            }
        }
        var position: Int64 = 0
        for try await value in try await connection.query(
            "SELECT COALESCE(MAX(position), 0)::BIGINT FROM events", logger: logger
        ).decode(Int64.self) {
            position = value
        }
        var tree = try await PostgresMerkle.accumulator(connection, size: position, logger: logger)
        var records: [RecordedEvent] = []
        records.reserveCapacity(events.count)
        for event in events {
            position += 1
            let streamVersion = try await currentVersion(event.envelope.stream) + 1
            versions[event.envelope.stream] = streamVersion
            let record = RecordedEvent(
                position: LogPosition(position), streamVersion: streamVersion, serverTime: serverTime, event: event)
            try await insertRow(connection, record, logger: logger)
            records.append(record)
        }
        try await PostgresMerkle.append(connection, &tree, records.map(\.merkleLeaf), logger: logger)
        if let treeHeadKey {
            let head = treeHeadKey.sign(TreeHead(treeSize: tree.size, rootHash: tree.root, timestamp: serverTime))
            try await PostgresMerkle.recordKey(
                connection, id: treeHeadKey.keyID, publicKey: treeHeadKey.publicKey, logger: logger)
            try await PostgresMerkle.record(connection, head, logger: logger)
        }
        return AppendResult(events: records, wasAlreadyAppended: false)
    }

    /// Inserts one event row; every writer of the `events` table goes through this statement.
    static func insertRow(_ connection: PostgresConnection, _ record: RecordedEvent, logger: Logger) async throws {
        let envelope = record.envelope
        let (algorithm, keyID, signature) = StoredEventRow.columns(of: record.event.signature)
        try await connection.query(
            """
            INSERT INTO events (position, id, stream, stream_version, type, schema_version, canonical, hash,
                server_time, signature_algorithm, signature_key_id, signature)
            VALUES (\(record.position.value), \(envelope.id.wireString), \(envelope.stream.rawValue),
                \(record.streamVersion), \(envelope.type.rawValue), \(envelope.schemaVersion),
                \(ByteBuffer(bytes: record.event.canonicalBytes)), \(ByteBuffer(bytes: record.event.hash.bytes)),
                \(record.serverTime.millisecondsSinceEpoch), \(algorithm), \(keyID), \(signature.map { ByteBuffer(bytes: $0) }))
            """, logger: logger)
    }
}
