package import GRDB
import GRDBSQLite

/// A value a statement takes as a parameter, bound with SQLite's own functions.
package protocol SQLiteBindable {
    /// Binds the value to parameter `index` (from 1) of `statement`.
    func bind(to statement: OpaquePointer, at index: Int32)
}

extension Statement {
    /// Runs a statement that returns no rows with `values` as its parameters, in order, and resets
    /// it for the next run; throws SQLite's error (extended result code and message) as GRDB would.
    ///
    /// GRDB's `execute(arguments:)` boxes every argument into a `DatabaseValue` through an
    /// existential and binds it in nested closures: a third of inserting an event's row, and a
    /// tenth of an append, in the profile. Here each value binds itself, with no box. The
    /// statement stays GRDB's (prepared, cached and finalised by it) and runs inside GRDB's
    /// transaction on the connection's queue; only binding and stepping bypass it.
    package func run<each Value: SQLiteBindable>(_ values: repeat each Value) throws(DatabaseError) {
        let handle = sqliteStatement
        defer {
            sqlite3_reset(handle)
            sqlite3_clear_bindings(handle)
        }
        var count: Int32 = 0
        for value in repeat each values {
            count += 1
            value.bind(to: handle, at: count)
        }
        guard count == sqlite3_bind_parameter_count(handle) else {
            throw DatabaseError(
                resultCode: .SQLITE_MISUSE, message: "\(count) values for \(sqlite3_bind_parameter_count(handle)) parameters",
                sql: sql)
        }
        var code = sqlite3_step(handle)
        while code == SQLITE_ROW { code = sqlite3_step(handle) }
        guard code == SQLITE_DONE else {
            let connection = sqlite3_db_handle(handle)
            throw DatabaseError(
                resultCode: ResultCode(rawValue: sqlite3_extended_errcode(connection)),
                message: String(cString: sqlite3_errmsg(connection)), sql: sql)
        }
    }
}

/// SQLite copies the bytes of text and blobs bound with this destructor before binding returns.
private let transient = unsafeBitCast(OpaquePointer(bitPattern: -1), to: sqlite3_destructor_type.self)

extension Int64: SQLiteBindable {
    package func bind(to statement: OpaquePointer, at index: Int32) {
        sqlite3_bind_int64(statement, index, self)
    }
}

extension Int: SQLiteBindable {
    package func bind(to statement: OpaquePointer, at index: Int32) {
        sqlite3_bind_int64(statement, index, Int64(self))
    }
}

extension Bool: SQLiteBindable {
    /// Binds 1 or 0, as GRDB stores booleans.
    package func bind(to statement: OpaquePointer, at index: Int32) {
        sqlite3_bind_int64(statement, index, self ? 1 : 0)
    }
}

extension Double: SQLiteBindable {
    package func bind(to statement: OpaquePointer, at index: Int32) {
        sqlite3_bind_double(statement, index, self)
    }
}

extension String: SQLiteBindable {
    package func bind(to statement: OpaquePointer, at index: Int32) {
        var text = self
        text.withUTF8 { bytes in
            bytes.withMemoryRebound(to: CChar.self) { characters in
                _ = sqlite3_bind_text64(
                    statement, index, characters.baseAddress, UInt64(characters.count), transient, UInt8(SQLITE_UTF8))
            }
        }
    }
}

extension Array: SQLiteBindable where Element == UInt8 {
    /// Binds the bytes as a blob (an empty blob, not NULL, when there are none).
    package func bind(to statement: OpaquePointer, at index: Int32) {
        withUnsafeBytes { buffer in
            guard let address = buffer.baseAddress else { return _ = sqlite3_bind_zeroblob(statement, index, 0) }
            _ = sqlite3_bind_blob64(statement, index, address, UInt64(buffer.count), transient)
        }
    }
}

extension Optional: SQLiteBindable where Wrapped: SQLiteBindable {
    /// Binds the value, or NULL when there is none.
    package func bind(to statement: OpaquePointer, at index: Int32) {
        guard let self else { return _ = sqlite3_bind_null(statement, index) }
        self.bind(to: statement, at: index)
    }
}
