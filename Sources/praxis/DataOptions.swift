import ArgumentParser
import Foundation
import PraxisProtocol
import PraxisStore

/// `--data DIR`: the folder that holds a Praxis installation's files.
struct DataOptions: ParsableArguments {
    @Option(name: .customLong("data"), help: "The data folder.", completion: .directory)
    var directory = "./praxis-data"

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

    /// Opens the log; commands that only read fail on a folder without one rather than create it.
    func openStore(create: Bool = false) throws -> SQLiteEventStore {
        guard create || FileManager.default.fileExists(atPath: logPath) else {
            throw CLIFailure("no Praxis log in \(directory) (start 'praxis serve --data \(directory)' to create one)")
        }
        return try SQLiteEventStore(
            path: logPath, options: .init(createIfMissing: create, treeHeadKey: try serverKey(create: create)))
    }

    /// The tree-head signing key, made on first use by a command that creates the log.
    func serverKey(create: Bool) throws -> TreeHeadKey? {
        if let text = try? String(contentsOfFile: serverKeyPath, encoding: .utf8) {
            guard let bytes = Base64URL.decode(text.trimmingCharacters(in: .whitespacesAndNewlines)),
                let key = TreeHeadKey(rawRepresentation: bytes)
            else { throw CLIFailure("\(serverKeyPath) does not hold a server key") }
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

/// Writes a line to standard error (progress and diagnostics; standard output stays for results).
func printError(_ line: String, terminator: String = "\n") {
    FileHandle.standardError.write(Data((line + terminator).utf8))
}

/// Whether standard error is a terminal, so that progress can redraw one line.
var standardErrorIsTerminal: Bool { isatty(FileHandle.standardError.fileDescriptor) == 1 }
