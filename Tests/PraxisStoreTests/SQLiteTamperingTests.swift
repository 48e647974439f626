import Foundation
import GRDB
import PraxisProtocol
import PraxisStore
import Testing

/// Changes a log behind the store's back, as an intruder with file access would.
struct Tamperer {
    let path: String

    func execute(_ sql: String, _ arguments: StatementArguments = []) throws {
        let queue = try DatabaseQueue(path: path)
        try queue.write { db in
            try db.execute(sql: "DROP TRIGGER IF EXISTS events_are_append_only_update")
            try db.execute(sql: "DROP TRIGGER IF EXISTS events_are_append_only_delete")
            try db.execute(sql: sql, arguments: arguments)
        }
        try queue.close()
    }
}

@Suite("SQLite log: durability and tampering")
struct SQLiteTamperingTests {
    /// A log of 30 events in 3 streams, closed again.
    static func seededLog() async throws -> StoreFixture {
        let fixture = try await StoreFixture(.sqlite)
        let store = try fixture.openSQLite()
        for index in 0..<10 {
            _ = try await store.append(TestEvents.batch(3, in: TestEvents.stream("community/\(index % 3)")))
        }
        try store.close()
        return fixture
    }

    @Test("the writer runs with synchronous=FULL")
    func synchronousFull() async throws {
        let fixture = try await StoreFixture(.sqlite)
        let store = try fixture.openSQLite()
        #expect(try await store.synchronousSetting() == 2)
    }

    @Test("updates and deletes are refused by the database itself")
    func appendOnlyTriggers() async throws {
        let fixture = try await Self.seededLog()
        let queue = try DatabaseQueue(path: fixture.logPath)
        #expect(throws: DatabaseError.self) { try queue.write { try $0.execute(sql: "UPDATE events SET type = 'x'") } }
        #expect(throws: DatabaseError.self) { try queue.write { try $0.execute(sql: "DELETE FROM events") } }
        try queue.close()
        let verification = try await LogVerifier(store: fixture.openSQLite()).verify()
        #expect(verification.fault == nil)
        #expect(verification.checkedEvents == 30)
    }

    @Test("an intact log verifies, with progress reported per page")
    func intactLog() async throws {
        let fixture = try await Self.seededLog()
        var reports: [Int64] = []
        let verification = try await LogVerifier(store: fixture.openSQLite(), pageSize: 7).verify { checked, head in
            #expect(head == 30)
            reports.append(checked)
        }
        #expect(verification.checkedEvents == 30 && verification.head == 30 && verification.fault == nil)
        #expect(reports == [7, 14, 21, 28, 30])
    }

    @Test(
        "each kind of tampering is found at its position",
        arguments: [
            ("altered hash", "UPDATE events SET hash = zeroblob(32) WHERE position = 17", 17, "hash_mismatch"),
            (
                "altered payload",
                #"UPDATE events SET canonical = CAST(replace(CAST(canonical AS TEXT), '"n":', '"m":') AS BLOB) WHERE position = 12"#,
                12, "hash_mismatch"
            ),
            ("deleted row", "DELETE FROM events WHERE position = 9", 9, "missing_position"),
            ("altered type column", "UPDATE events SET type = 'member_removed' WHERE position = 21", 21, "undecodable"),
            ("garbage bytes", "UPDATE events SET canonical = x'00ff' WHERE position = 5", 5, "undecodable"),
            (
                "stream version rewritten", "UPDATE events SET stream_version = stream_version + 10 WHERE position = 25",
                25, "stream_version_gap"
            ),
        ] as [(String, String, Int64, String)])
    func tampering(name: String, sql: String, position: Int64, kind: String) async throws {
        let fixture = try await Self.seededLog()
        try Tamperer(path: fixture.logPath).execute(sql)
        let verification = try await LogVerifier(store: fixture.openSQLite(), pageSize: 8).verify()
        let fault = try #require(verification.fault, "\(name) went unnoticed")
        #expect(fault.position == LogPosition(position), "\(name)")
        #expect(fault.kind.rawValue == kind, "\(name): \(fault)")
        #expect(verification.checkedEvents == position - 1)
    }

    @Test("non-canonical bytes with a matching hash are found")
    func nonCanonicalRewrite() async throws {
        let fixture = try await Self.seededLog()
        let store = try fixture.openSQLite()
        let original = try #require(try await store.read(from: 3, limit: 1).first)
        try store.close()
        let spaced = Array(" ".utf8) + original.event.canonicalBytes
        try Tamperer(path: fixture.logPath).execute(
            "UPDATE events SET canonical = ?, hash = ? WHERE position = 3",
            [Data(spaced), Data(EventHash(hashing: spaced).bytes)])
        let fault = try #require(try await LogVerifier(store: fixture.openSQLite()).verify().fault)
        #expect(fault.position == 3)
        #expect(fault.kind == .nonCanonical)
    }

    @Test("reading a row whose columns disagree with its bytes fails with corrupt_event")
    func corruptRead() async throws {
        let fixture = try await Self.seededLog()
        try Tamperer(path: fixture.logPath).execute("UPDATE events SET stream = 'community/other' WHERE position = 4")
        let store = try fixture.openSQLite()
        do {
            _ = try await store.read(from: 1, limit: 10)
            Issue.record("a corrupt row was read")
        } catch {
            #expect(error.code == .corruptEvent)
            #expect(error.position == 4)
        }
        #expect(try await store.read(from: 1, limit: 3).count == 3)
        // Sync pages take the wire bytes straight from the stored row; they check the same thing.
        let stored = try await store.storedEvents(positions: [3, 4])
        #expect(try stored[0].wireBytes() == (try stored[0].decode()).event.wireBytes)
        #expect(throws: StoreError.self) { try stored[1].wireBytes() }
        #expect((try? stored[1].wireBytes()) == nil)
        do {
            _ = try stored[1].wireBytes()
        } catch {
            #expect(error.code == .corruptEvent && error.position == 4)
        }
    }

    @Test("opening a missing log without createIfMissing fails with log_not_found")
    func missingLog() async throws {
        let fixture = try await StoreFixture(.sqlite)
        #expect {
            _ = try SQLiteEventStore(path: fixture.logPath, options: .init(createIfMissing: false))
        } throws: { error in
            (error as? StoreError)?.code == .logNotFound
        }
        #expect(!FileManager.default.fileExists(atPath: fixture.logPath))
    }
}
