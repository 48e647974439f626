import ArgumentParser
import Foundation
import PraxisPostgres
import PraxisProtocol
import PraxisStore

/// `--data DIR`: the folder that holds a Praxis installation's files.
struct DataOptions: ParsableArguments {
    @Option(name: .customLong("data"), help: "The data folder.", completion: .directory)
    var directory = "./praxis-data"

    @Option(
        name: .customLong("store"),
        help: "The log in PostgreSQL, postgres://user@host:port/database (default: PRAXIS_STORE_URL, else DATA/log.sqlite).")
    var storeURL: String?

    /// The PostgreSQL log chosen by `--store` or `PRAXIS_STORE_URL`, if any.
    func postgresLocation() throws -> PostgresLocation? {
        guard let text = storeURL ?? ProcessInfo.processInfo.environment["PRAXIS_STORE_URL"], !text.isEmpty else {
            return nil
        }
        guard let location = PostgresLocation(url: text) else {
            throw CLIFailure("'\(text)' is not a postgres://user@host:port/database URL")
        }
        return location
    }

    /// Opens the log the options name — PostgreSQL with `--store`, else `DATA/log.sqlite`; commands
    /// that only read fail on a missing log rather than create one. The server key stays in `DATA`.
    func openLog(create: Bool = false) async throws -> AnyEventStore {
        if let location = try postgresLocation() {
            if create { try await PostgresEventStore.createDatabaseIfMissing(location) }
            let store = try await PostgresEventStore.open(location, options: .init(treeHeadKey: try serverKey(create: create)))
            return AnyEventStore(store) { store.close() }
        }
        let store = try openStore(create: create)
        return AnyEventStore(store) { try? store.close() }
    }

    /// Where the log is, for messages.
    var logDescription: String { (try? postgresLocation())?.map(\.description) ?? logPath }

    /// Refuses `--store` for commands that work on a SQLite file only.
    func requireSQLite(_ command: String) throws {
        if try postgresLocation() != nil {
            throw CLIFailure("\(command) works on the SQLite log of --data; move a log to PostgreSQL with 'praxis migrate'")
        }
    }

    /// The data options of another folder.
    static func at(_ directory: String) -> DataOptions {
        var options = DataOptions()
        options.directory = directory
        return options
    }

    /// The event log's file.
    var logPath: String { (directory as NSString).appendingPathComponent("log.sqlite") }

    /// The read models' file (rebuildable from the log at any time).
    var readModelPath: String { (directory as NSString).appendingPathComponent("projections.sqlite") }

    /// The server's tree-head signing key (Ed25519, raw, base64url; mode 0600).
    var serverKeyPath: String { (directory as NSString).appendingPathComponent("server.key") }

    /// The file holding the operator token.
    var operatorTokenPath: String { (directory as NSString).appendingPathComponent("operator.token") }

    /// Opens the SQLite log; commands that only read fail on a folder without one rather than create it.
    func openStore(create: Bool = false) throws -> SQLiteEventStore {
        guard create || FileManager.default.fileExists(atPath: logPath) else {
            throw CLIFailure("no Praxis log in \(directory) (start 'praxis serve --data \(directory)' to create one)")
        }
        let key = try serverKey(create: create)
        do {
            return try SQLiteEventStore(path: logPath, options: .init(createIfMissing: create, treeHeadKey: key))
        } catch {
            throw Self.explainUnopenable(error, folder: directory, log: logPath)
        }
    }

    /// A log that cannot be opened, named: in a folder that cannot be written, say so, since
    /// SQLite's WAL mode needs to write beside the log even to read it; otherwise the file and the
    /// reason ("…/log.sqlite: the database file is damaged"). Other errors pass as they are.
    private static func explainUnopenable(_ error: any Error, folder: String, log: String) -> any Error {
        guard let error = error as? StoreError, error.code == .unavailable else { return error }
        guard access(folder, W_OK) != 0 else { return CLIFailure("\(log): \(error.message)") }
        let reason = String(cString: strerror(errno))
        return CLIFailure(
            "\(folder) cannot be written (\(reason)): the log needs a writable folder, even to be read; "
                + "mount it read-write, or copy the log elsewhere (praxis log export, then import)")
    }

    /// The tree-head signing key, made on first use by a command that creates the log. A key file
    /// that exists is never replaced: auditors pin its public key.
    func serverKey(create: Bool) throws -> TreeHeadKey? {
        if FileManager.default.fileExists(atPath: serverKeyPath) {
            guard let text = try? String(contentsOfFile: serverKeyPath, encoding: .utf8),
                let bytes = Base64URL.decode(text.trimmingCharacters(in: .whitespacesAndNewlines)),
                let key = TreeHeadKey(rawRepresentation: bytes)
            else {
                throw CLIFailure(
                    "\(serverKeyPath) cannot be read or does not hold a server key; restore it from a backup "
                        + "(auditors pin its public key, so a new one is not made in its place)")
            }
            return key
        }
        guard create else { return nil }
        let key = TreeHeadKey()
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        guard
            FileManager.default.createFile(
                atPath: serverKeyPath, contents: Data((Base64URL.encode(key.rawRepresentation) + "\n").utf8),
                attributes: [.posixPermissions: 0o600])
        else { throw CLIFailure("cannot write the server key to \(serverKeyPath)") }
        return key
    }
}

/// A failure the CLI reports as one line on standard error, exiting with `exitCode`.
struct CLIFailure: Error, CustomStringConvertible {
    let description: String
    let exitCode: Int32

    init(_ message: String, exitCode: Int32 = 1) {
        self.description = message
        self.exitCode = exitCode
    }
}

extension CLIFailure {
    /// A file system error as one line: the path it names, when it names one, and the reason — the
    /// system's, when Foundation kept it ("/srv/praxis: Permission denied") — instead of
    /// Foundation's dump of its user info.
    init(_ error: CocoaError) {
        let path = error.userInfo[NSFilePathErrorKey] as? String ?? (error.userInfo[NSURLErrorKey] as? URL)?.path
        let underlying = error.userInfo[NSUnderlyingErrorKey] as? NSError
        let reason =
            underlying.flatMap { $0.domain == NSPOSIXErrorDomain ? String(cString: strerror(Int32($0.code))) : nil }
            ?? Self.reasons[error.code] ?? (error.isFileError ? "cannot be read or written" : error.localizedDescription)
        self.init(path.map { "\($0): \(reason)" } ?? reason)
    }

    private static let reasons: [CocoaError.Code: String] = [
        .fileNoSuchFile: "no such file or folder", .fileReadNoSuchFile: "no such file or folder",
        .fileReadNoPermission: "permission denied", .fileWriteNoPermission: "permission denied",
        .fileWriteFileExists: "exists already", .fileWriteOutOfSpace: "no space left on the device",
        .fileWriteVolumeReadOnly: "read-only file system", .fileReadUnknown: "cannot be read",
        .fileWriteUnknown: "cannot be written", .fileReadInapplicableStringEncoding: "is not UTF-8 text",
    ]
}

/// Writes a line to standard error (progress and diagnostics; standard output stays for results).
func printError(_ line: String, terminator: String = "\n") {
    FileHandle.standardError.write(Data((line + terminator).utf8))
}

/// Whether standard error is a terminal, so that progress can redraw one line.
var standardErrorIsTerminal: Bool { isatty(FileHandle.standardError.fileDescriptor) == 1 }
