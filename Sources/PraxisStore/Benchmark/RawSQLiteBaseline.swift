import Foundation
import GRDB

/// The limit the log's appends are measured against: the same bytes inserted into a SQLite table
/// with nothing but an integer key — no hashing, no indexes, no Merkle tree — with the log's own
/// durability (WAL, `synchronous=FULL`), one transaction per batch.
public enum RawSQLiteBaseline {
    /// Inserts `rows` into a new database at `path`, `batch` rows per transaction; returns the
    /// time the inserts took (opening the file excluded).
    public static func insert(_ rows: [[UInt8]], batch: Int, path: String) throws -> Duration {
        var configuration = Configuration()
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA journal_mode = WAL")
            try db.execute(sql: "PRAGMA synchronous = FULL")
        }
        let queue = try DatabaseQueue(path: path, configuration: configuration)
        try queue.write { db in try db.execute(sql: "CREATE TABLE raw (id INTEGER PRIMARY KEY, bytes BLOB NOT NULL)") }
        let started = ContinuousClock.now
        var index = 0
        while index < rows.count {
            let slice = rows[index..<min(index + batch, rows.count)]
            try queue.write { db in
                let statement = try db.makeStatement(sql: "INSERT INTO raw (bytes) VALUES (?)")
                for row in slice { try statement.execute(arguments: [Data(row)]) }
            }
            index += batch
        }
        return ContinuousClock.now - started
    }
}
