import Foundation
import GRDB
public import PraxisProtocol

/// The limit the log's appends are measured against: the same bytes inserted into a SQLite table
/// with nothing but an integer key — no hashing, no indexes, no Merkle tree — with the log's own
/// durability (WAL, `synchronous=FULL`), one transaction per batch. A second shape adds the log's
/// two unique indexes, to show what SQLite alone spends on them.
public enum RawSQLiteBaseline {
    /// What the baseline's table holds besides each event's bytes.
    public enum Shape: String, Sendable, CaseIterable {
        /// Only the integer key: the limit for appends.
        case integerKey = "integer-key"
        /// Also the event's id and its stream and version, under the log's two unique indexes (the
        /// id; stream and version): what SQLite itself costs any log that refuses a reused id and
        /// checks expected versions, before hashing or signing anything.
        case logIndexes = "log-indexes"
    }

    /// Inserts the canonical bytes of `events` into a new database at `path`, `batch` rows per
    /// transaction, as `shape` says (the events are one stream's versions 1, 2, …); returns the
    /// time the inserts took (opening the file excluded).
    public static func insert(_ events: [AuthoredEvent], batch: Int, path: String, shape: Shape = .integerKey) throws
        -> Duration
    {
        var configuration = Configuration()
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA journal_mode = WAL")
            try db.execute(sql: "PRAGMA synchronous = FULL")
        }
        let queue = try DatabaseQueue(path: path, configuration: configuration)
        let (create, insert) =
            switch shape {
            case .integerKey:
                (
                    "CREATE TABLE raw (position INTEGER PRIMARY KEY, bytes BLOB NOT NULL)",
                    "INSERT INTO raw (bytes) VALUES (?)"
                )
            case .logIndexes:
                (
                    """
                    CREATE TABLE raw (position INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, stream TEXT NOT NULL,
                        stream_version INTEGER NOT NULL, bytes BLOB NOT NULL, UNIQUE (stream, stream_version))
                    """,
                    "INSERT INTO raw (id, stream, stream_version, bytes) VALUES (?, ?, ?, ?)"
                )
            }
        try queue.write { db in try db.execute(sql: create) }
        let started = ContinuousClock.now
        var index = 0
        while index < events.count {
            let range = index..<min(index + batch, events.count)
            try queue.write { db in
                // Bound as the log binds its rows (`Statement.run`), so the limit pays no cost the log does not.
                let statement = try db.makeStatement(sql: insert)
                for position in range {
                    let event = events[position]
                    switch shape {
                    case .integerKey: try statement.run(event.canonicalBytes)
                    case .logIndexes:
                        try statement.run(
                            event.envelope.id.wireString, event.envelope.stream.rawValue, position + 1, event.canonicalBytes)
                    }
                }
            }
            index += batch
        }
        return ContinuousClock.now - started
    }
}
