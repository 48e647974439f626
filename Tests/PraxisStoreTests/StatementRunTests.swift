import Foundation
import GRDB
import PraxisStore
import Testing

/// `Statement.run` binds values with SQLite's own functions instead of GRDB's: what it stores must
/// be what GRDB stores for the same values, and its failures must be GRDB's errors.
@Suite("SQLite statements run with values bound by SQLite's functions")
struct StatementRunTests {
    static func table() throws -> DatabaseQueue {
        let queue = try DatabaseQueue()
        try queue.write { db in
            try db.execute(sql: "CREATE TABLE t (id INTEGER PRIMARY KEY, i, n, b, d, s, bytes, absent, UNIQUE (s))")
        }
        return queue
    }

    @Test("every kind of value is stored as GRDB stores it, NULL for nil and an empty blob for no bytes")
    func valuesMatchGRDB() throws {
        let queue = try Self.table()
        let texts = ["", "plain", "é ✓ 𝄞", String(repeating: "long ", count: 2_000)]
        let blobs: [[UInt8]] = [[], [0], [0, 255, 7], [UInt8](repeating: 9, count: 70_000)]
        try queue.write { db in
            let ours = try db.cachedStatement(sql: "INSERT INTO t VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
            for (index, text) in texts.enumerated() {
                let i = Int64(index) * 1_000_000_007 - 3
                let d = Double(index) / 3 - 1e300 * Double(index % 2)
                let absent: String? = nil
                try ours.run(Int64(2 * index + 1), i, index, index % 2 == 0, d, text, blobs[index], absent)
                try db.execute(
                    sql: "INSERT INTO t VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    arguments: [2 * index + 2, i, index, index % 2 == 0, d, text + "'", Data(blobs[index]), nil])
            }
        }
        try queue.read { db in
            let rows = try Row.fetchAll(db, sql: "SELECT * FROM t ORDER BY id")
            #expect(rows.count == 2 * texts.count)
            for pair in stride(from: 0, to: rows.count, by: 2) {
                let (ours, grdb) = (rows[pair], rows[pair + 1])
                for column in ["i", "n", "b", "d", "bytes", "absent"] {
                    #expect(ours[column] as DatabaseValue == grdb[column] as DatabaseValue, "column \(column), row \(pair)")
                }
                #expect((ours["s"] as String) + "'" == grdb["s"] as String)
            }
            let types = try String.fetchAll(db, sql: "SELECT typeof(bytes) || typeof(absent) FROM t WHERE id = 1")
            #expect(types == ["blobnull"])
        }
    }

    @Test("text is bound with its length, so a zero inside it is kept (GRDB's C string binding stops there)")
    func textWithAZero() throws {
        let queue = try Self.table()
        let text = "before\u{0}after ✓"
        try queue.write { db in try db.cachedStatement(sql: "INSERT INTO t (id, s) VALUES (?, ?)").run(1, text) }
        let stored = try queue.read { db in try Data.fetchOne(db, sql: "SELECT CAST(s AS BLOB) FROM t WHERE id = 1") }
        #expect(stored.map { [UInt8]($0) } == Array(text.utf8))
    }

    @Test("a failing step throws SQLite's error as GRDB does, and the statement runs again after it")
    func failures() throws {
        let queue = try Self.table()
        try queue.write { db in
            let insert = try db.cachedStatement(sql: "INSERT INTO t (id, s) VALUES (?, ?)")
            try insert.run(1, "taken")
            #expect {
                try insert.run(2, "taken")
            } throws: { error in
                let error = error as? DatabaseError
                return error?.resultCode == .SQLITE_CONSTRAINT && error?.extendedResultCode == .SQLITE_CONSTRAINT_UNIQUE
            }
            #expect {
                try insert.run(3)
            } throws: { error in
                (error as? DatabaseError)?.resultCode == .SQLITE_MISUSE
            }
            try insert.run(4, "free")
            #expect(try String.fetchAll(db, sql: "SELECT s FROM t ORDER BY id") == ["taken", "free"])
        }
    }
}
