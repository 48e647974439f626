import GRDB

extension StoreError {
    /// Translates a storage failure into a client-safe error: the SQLite result code becomes a plain
    /// sentence, and the SQL text and arguments stay out.
    init(sqliteFailure error: any Error) {
        guard let error = error as? DatabaseError else {
            self.init(.unavailable, "the database failed: \(type(of: error))")
            return
        }
        let reason =
            switch error.resultCode {
            case .SQLITE_FULL: "the disk is full"
            case .SQLITE_IOERR: "an I/O error occurred"
            case .SQLITE_BUSY, .SQLITE_LOCKED: "the database is busy"
            case .SQLITE_READONLY: "the database is read-only"
            case .SQLITE_CORRUPT, .SQLITE_NOTADB: "the database file is damaged"
            case .SQLITE_CANTOPEN, .SQLITE_PERM: "the database file cannot be opened"
            default: "the database failed (SQLite result code \(error.resultCode.rawValue))"
            }
        self.init(.unavailable, reason)
    }
}
