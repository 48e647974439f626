import ArgumentParser
import Foundation
import PraxisStore

/// `--data DIR`: the folder that holds a Praxis installation's files.
struct DataOptions: ParsableArguments {
    @Option(name: .customLong("data"), help: "The data folder.", completion: .directory)
    var directory = "./praxis-data"

    /// The event log's file.
    var logPath: String { (directory as NSString).appendingPathComponent("log.sqlite") }

    /// The read models' file (rebuildable from the log at any time).
    var readModelPath: String { (directory as NSString).appendingPathComponent("projections.sqlite") }

    /// The file holding the operator token.
    var operatorTokenPath: String { (directory as NSString).appendingPathComponent("operator.token") }

    /// Opens the log; commands that only read fail on a folder without one rather than create it.
    func openStore(create: Bool = false) throws -> SQLiteEventStore {
        guard create || FileManager.default.fileExists(atPath: logPath) else {
            throw CLIFailure("no Praxis log in \(directory) (start 'praxis serve --data \(directory)' to create one)")
        }
        return try SQLiteEventStore(path: logPath, options: .init(createIfMissing: create))
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
