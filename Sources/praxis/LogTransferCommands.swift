import ArgumentParser
import Foundation
import PraxisProtocol
import PraxisStore

/// `praxis log export`: the log as a portable, verifiable file.
struct LogExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write the log, with its signed tree heads, to an NDJSON file.",
        discussion: """
            The file holds the author's exact bytes of every event and every signed tree head; the same \
            log always exports to the same bytes (format in Protocol/README.md §5). The export is \
            written beside --out and appears there only when complete (stopped by Ctrl-C or SIGTERM, it \
            removes what it wrote; killed otherwise, it leaves only a hidden .FILE.partial-… beside \
            it, which may be deleted); an existing file is never replaced.

            Examples:
              praxis log export --out log.ndjson
              praxis log export --out first-1000.ndjson --up-to 1000
            """)

    @OptionGroup var data: DataOptions
    @Option(help: "The file to write.") var out: String
    @Option(help: "Export positions 1 … N only.") var upTo: Int64?

    func run() async throws {
        let file = URL(fileURLWithPath: out)
        try LogExport.requireNewFile(file)  // before the log is opened: a refused export touches nothing
        let store = try await data.openLog()
        let bar = ProgressBar(total: Int(try await store.head().value), label: "events")
        let upTo = self.upTo
        let written = try await Interruptible.run {
            try await LogExport.write(from: store, to: file, upTo: upTo) { position in
                bar.update(Int(position.value), detail: "exported")
            }
        }
        bar.finish()
        print("exported \(written.events) events and \(written.heads) signed tree heads to \(out)")
    }
}

/// `praxis log import`: a verified export into a new data folder.
struct LogImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Verify an exported log completely, then load it into an empty data folder.",
        discussion: """
            Nothing is written unless every event's bytes, hash, position and stream version and every \
            signed tree head (root and signature) check out; a fault names the line. The log appears in \
            the folder only once complete: stopped by Ctrl-C or SIGTERM, the import removes what it \
            wrote; killed otherwise, it leaves at most hidden .log.sqlite.partial-… files there, which \
            may be deleted.

            Example:
              praxis log import log.ndjson --data ./audit-copy
            """)

    @OptionGroup var data: DataOptions
    @Argument(help: "The exported file.") var file: String

    func run() async throws {
        try data.requireSQLite("praxis log import")
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: file, isDirectory: &isFolder), !isFolder.boolValue else {
            throw CLIFailure(isFolder.boolValue ? "\(file) is a folder, not an exported log" : "no file \(file)")
        }
        let url = URL(fileURLWithPath: file)
        let verified: (events: Int64, heads: Int)
        do {
            verified = try LogImport.verify(url)
        } catch let error as ImportError {
            throw CLIFailure("refused \(file): \(error)")
        }
        if FileManager.default.fileExists(atPath: data.logPath) {
            let empty = try await data.openStore().head() == .start
            throw CLIFailure(
                empty
                    ? "\(data.directory) has an empty log already; import into a folder without one (or delete \(data.logPath) and its -wal and -shm files)"
                    : "\(data.directory) already holds a log; import into an empty folder")
        }
        let bar = ProgressBar(total: Int(verified.events), label: "events")
        let log = URL(fileURLWithPath: data.logPath)
        try await Interruptible.run {
            try await LogImport.loadNewLog(from: url, at: log, alreadyVerified: true) {
                bar.update(Int($0.value), detail: "imported")
            }
        }
        bar.finish()
        print("imported \(verified.events) events and \(verified.heads) signed tree heads into \(data.directory)")
    }
}
