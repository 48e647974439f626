import Foundation
import GRDB
public import PraxisProtocol

extension SQLiteEventStore {
    public func append(_ events: [AuthoredEvent], conditions: [StreamName: ExpectedVersion]) async throws(StoreError)
        -> AppendResult
    {
        try limits.check(events)
        let clock = self.clock
        let treeHeadKey = self.treeHeadKey
        let result: AppendResult
        do {
            result = try await pool.writeWithoutTransaction { db in
                try Self.insertOrReplay(db, events, conditions: conditions, serverTime: clock(), treeHeadKey: treeHeadKey)
            }
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError(sqliteFailure: error)
        }
        if !result.wasAlreadyAppended, let last = result.events.last {
            await signal.advance(to: last.position)
        }
        return result
    }

    /// Inserts the batch in a transaction of its own; when that fails on a condition or on an id
    /// already in the log, the batch may be a retry of one committed before, so it is looked up
    /// then, and only then (looking every id up first was a twentieth of an append's time, and
    /// retries are rare), after the transaction rolled back, on the same writer connection, so no
    /// other append comes between.
    ///
    /// Not a savepoint inside GRDB's transaction: SQLite copies every page a savepoint changes into
    /// a sub-journal, a temporary file created and deleted at every append.
    private static func insertOrReplay(
        _ db: Database, _ events: [AuthoredEvent], conditions: [StreamName: ExpectedVersion], serverTime: Timestamp,
        treeHeadKey: TreeHeadKey?
    ) throws -> AppendResult {
        var inserted: AppendResult?
        do {
            try db.inTransaction {
                inserted = try insert(db, events, conditions: conditions, serverTime: serverTime, treeHeadKey: treeHeadKey)
                return .commit
            }
        } catch let error as StoreError where error.code == .wrongExpectedVersion {
            if let replay = try replayOfCommittedBatch(db, events) { return replay }
            throw error
        } catch let error as DatabaseError where error.resultCode == .SQLITE_CONSTRAINT {
            if let replay = try replayOfCommittedBatch(db, events) { return replay }
            throw error
        }
        guard let inserted else { throw StoreError(.unavailable, "the append's transaction ended without its result") }
        return inserted
    }

    /// The original records when every event of `events` is already in the log with the same
    /// bytes; `nil` when none is. Throws when the batch partly overlaps the log or reuses an id.
    private static func replayOfCommittedBatch(_ db: Database, _ events: [AuthoredEvent]) throws -> AppendResult? {
        let lookup = try db.cachedStatement(sql: "SELECT position, hash FROM events WHERE id = ?")
        var positions: [Int64] = []
        for event in events {
            guard let row = try Row.fetchOne(lookup, arguments: [event.envelope.id.wireString]) else { continue }
            guard [UInt8](row[1] as Data) == event.hash.bytes else { throw StoreError.idConflict(event.envelope.id) }
            positions.append(row[0])
        }
        if positions.isEmpty { return nil }
        guard positions.count == events.count else {
            throw StoreError(
                .partialDuplicate,
                "\(positions.count) of the batch's \(events.count) events were appended before; resend the original batch unchanged"
            )
        }
        let records = try positions.map { position in
            guard let row = try fetchRows(db, where: "position = ?", [position]).first else {
                throw StoreError.corruptEvent(at: LogPosition(position), "the row vanished while being read")
            }
            return try row.decode()
        }
        return AppendResult(events: records, wasAlreadyAppended: true)
    }

    private static func insert(
        _ db: Database, _ events: [AuthoredEvent], conditions: [StreamName: ExpectedVersion], serverTime: Timestamp,
        treeHeadKey: TreeHeadKey?
    ) throws -> AppendResult {
        let versionLookup = try db.cachedStatement(
            sql: "SELECT COALESCE(MAX(stream_version), 0) FROM events WHERE stream = ?")
        var versions: [StreamName: Int64] = [:]
        func currentVersion(_ stream: StreamName) throws -> Int64 {
            if let known = versions[stream] { return known }
            let version = try Int64.fetchOne(versionLookup, arguments: [stream.rawValue]) ?? 0
            versions[stream] = version
            return version
        }
        for (stream, expected) in conditions.sorted(by: { $0.key < $1.key }) {
            let actual = try currentVersion(stream)
            guard expected.isMet(byCurrentVersion: actual) else {
                throw StoreError.wrongExpectedVersion(stream, expected: expected, actual: actual)
            }
        }
        var position = try head(db).value
        var tree = try SQLiteMerkle.accumulator(db, size: position)
        var records: [RecordedEvent] = []
        records.reserveCapacity(events.count)
        for event in events {
            let envelope = event.envelope
            position += 1
            let streamVersion = try currentVersion(envelope.stream) + 1
            versions[envelope.stream] = streamVersion
            let record = RecordedEvent(
                position: LogPosition(position), streamVersion: streamVersion, serverTime: serverTime, event: event)
            try insertRow(db, record)
            records.append(record)
        }
        try SQLiteMerkle.append(db, &tree, records.map(\.merkleLeaf))
        if let treeHeadKey {
            let head = TreeHead(treeSize: tree.size, rootHash: tree.root, timestamp: serverTime)
            try SQLiteMerkle.recordKey(db, id: treeHeadKey.keyID, publicKey: treeHeadKey.publicKey)
            try SQLiteMerkle.record(db, treeHeadKey.sign(head))
        }
        return AppendResult(events: records, wasAlreadyAppended: false)
    }
}
