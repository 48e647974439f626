import ArgumentParser
import Foundation
import PraxisProjections
import PraxisProtocol
import PraxisStore

/// `praxis audit replay`: the read models as they were at a past point, in a folder of their own.
struct AuditReplay: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract: "Rebuild every read model as it was at a past position or time, into a new folder.",
        discussion: """
            Copies the log up to that point (exported, verified and imported, signed tree heads \
            included) into --out, builds all read models there and prints their digests. The live \
            data folder is only read; stopped by Ctrl-C or SIGTERM while copying, it removes what it \
            wrote. Then query the past through the same API:
              praxis serve --data DIR --read-only

            Examples:
              praxis audit replay --as-of 12000 --out ./as-of-12000
              praxis audit replay --as-of 2026-09-30T23:59:59.999Z --out ./q3-close
            """)

    @OptionGroup var data: DataOptions
    @Option(help: "A log position, or a UTC time YYYY-MM-DDTHH:MM:SS.sssZ.", transform: AsOf.init) var asOf: AsOf
    @Option(help: "The new folder for the replayed log and read models.", completion: .directory) var out: String

    func run() async throws {
        try data.requireSQLite("praxis audit replay")
        let store = try data.openStore()
        let position: LogPosition
        switch asOf {
        case .position(let number): position = LogPosition(min(number, try await store.head().value))
        case .time(let time): position = try await store.position(atOrBefore: time)
        }
        let target = DataOptions.at(out)
        guard !FileManager.default.fileExists(atPath: target.logPath) else {
            throw CLIFailure("\(out) already holds a log; replay into a new folder")
        }
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        let file = URL(fileURLWithPath: out).appendingPathComponent("replay.ndjson")
        defer { try? FileManager.default.removeItem(at: file) }
        let log = URL(fileURLWithPath: target.logPath)
        try await Interruptible.run {
            try await LogExport.write(from: store, to: file, upTo: position.value)
            try await LogImport.loadNewLog(from: file, at: log)
        }
        let replayed = try SQLiteEventStore(path: target.logPath)
        let engine = ProjectionEngine(
            store: replayed, readModels: try ReadModelStore(path: target.readModelPath), projections: ProjectionCatalog.all)
        try await engine.prepare()
        try await engine.catchUp()
        print("replayed positions 1 … \(position) into \(out)")
        for digest in try await engine.digests() { print(digest) }
    }
}

/// `--as-of`: a log position or a time, read while the arguments are parsed so that a bad one is
/// reported with this command's usage.
enum AsOf {
    case position(Int64)
    case time(Timestamp)

    init(_ text: String) throws {
        if let number = Int64(text), number >= 0 {
            self = .position(number)
        } else if let time = Timestamp(rfc3339: text) {
            self = .time(time)
        } else {
            throw ValidationError("must be a position or a time of the form YYYY-MM-DDTHH:MM:SS.sssZ")
        }
    }
}
