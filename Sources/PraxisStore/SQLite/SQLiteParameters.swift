import GRDB
import GRDBSQLite

/// Runs a prepared statement that returns no rows with its parameters bound by SQLite's own
/// functions: GRDB boxes every argument in a `DatabaseValue` and binds it through nested
/// closures, which was a third of inserting an event's row (a tenth of an append) in the profile.
///
/// The statement comes from GRDB (prepared, cached and finalised by it) and runs on the
/// connection's queue inside GRDB's transaction; only binding and stepping bypass it. Every
/// parameter must be bound before ``run()``: bindings left from the last run are cleared there.
struct SQLiteParameters {
    private let statement: Statement

    /// SQLite copies the bytes of text and blobs bound with this destructor before binding returns.
    private static let transient = unsafeBitCast(OpaquePointer(bitPattern: -1), to: sqlite3_destructor_type.self)

    init(_ statement: Statement) {
        self.statement = statement
    }

    func bind(_ index: Int32, _ value: Int64) {
        sqlite3_bind_int64(statement.sqliteStatement, index, value)
    }

    func bind(_ index: Int32, _ text: String) {
        var text = text
        text.withUTF8 { bytes in
            bytes.withMemoryRebound(to: CChar.self) { characters in
                _ = sqlite3_bind_text64(
                    statement.sqliteStatement, index, characters.baseAddress, UInt64(characters.count), Self.transient,
                    UInt8(SQLITE_UTF8))
            }
        }
    }

    /// Binds `text`, or NULL when it is nil.
    func bind(_ index: Int32, _ text: String?) {
        guard let text else { return bindNull(index) }
        bind(index, text)
    }

    func bind(_ index: Int32, _ bytes: [UInt8]) {
        bytes.withUnsafeBytes { buffer in
            // An empty array has no address, and a blob bound from none is NULL.
            guard let address = buffer.baseAddress else { return _ = sqlite3_bind_zeroblob(statement.sqliteStatement, index, 0) }
            _ = sqlite3_bind_blob64(statement.sqliteStatement, index, address, UInt64(buffer.count), Self.transient)
        }
    }

    /// Binds `bytes`, or NULL when they are nil.
    func bind(_ index: Int32, _ bytes: [UInt8]?) {
        guard let bytes else { return bindNull(index) }
        bind(index, bytes)
    }

    func bindNull(_ index: Int32) {
        sqlite3_bind_null(statement.sqliteStatement, index)
    }

    /// Steps the statement to its end and resets it, keeping it ready for the next run; throws
    /// SQLite's error (extended result code and message) as a `DatabaseError`, as GRDB would.
    func run() throws(DatabaseError) {
        let handle = statement.sqliteStatement
        defer {
            sqlite3_reset(handle)
            sqlite3_clear_bindings(handle)
        }
        var code = sqlite3_step(handle)
        while code == SQLITE_ROW { code = sqlite3_step(handle) }
        guard code == SQLITE_DONE else {
            let connection = sqlite3_db_handle(handle)
            throw DatabaseError(
                resultCode: ResultCode(rawValue: sqlite3_extended_errcode(connection)),
                message: String(cString: sqlite3_errmsg(connection)), sql: statement.sql)
        }
    }
}
