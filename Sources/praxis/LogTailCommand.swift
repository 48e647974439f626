import ArgumentParser
import Foundation
import PraxisProtocol
import PraxisStore

/// `praxis log tail`: the last events, or those from a position on.
struct LogTail: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tail",
        abstract: "Print events from the log.",
        discussion: """
            Without --from, prints the last --limit events. With --follow, keeps printing new events \
            as they are appended (Ctrl-C to stop). --json prints one JSON object per line (NDJSON).

            Examples:
              praxis log tail
              praxis log tail --from 1 --limit 100 --json > first-100.ndjson
              praxis log tail --follow
            """
    )

    @OptionGroup var data: DataOptions

    @Option(help: "First position to print (default: the last --limit events).")
    var from: Int64?

    @Option(help: "Most events to print (1–10000).")
    var limit = 20

    @Flag(help: "Keep printing events as they are appended.")
    var follow = false

    @Flag(help: "Print NDJSON instead of a table.")
    var json = false

    func validate() throws {
        guard (1...SQLiteEventStore.maximumPageSize).contains(limit) else {
            throw ValidationError("--limit must be from 1 to \(SQLiteEventStore.maximumPageSize)")
        }
        if let from, from < 1 { throw ValidationError("--from must be 1 or more") }
    }

    func run() async throws {
        let store = try await data.openLog()
        let head = try await store.head()
        let start = LogPosition(from ?? max(1, head.value - Int64(limit) + 1))
        let events = try await store.read(from: start, limit: limit)
        for event in events { printLine(line(for: event)) }
        guard follow else { return }
        let next = events.last?.position.next ?? start
        for try await event in store.subscribe(from: next) {
            printLine(line(for: event))
        }
    }

    /// Writes unbuffered, so `--follow` output reaches a pipe as soon as an event arrives.
    private func printLine(_ text: String) {
        FileHandle.standardOutput.write(Data((text + "\n").utf8))
    }

    private func line(for event: RecordedEvent) -> String {
        if json { return String(decoding: CanonicalJSON.encode(event.json), as: UTF8.self) }
        let position = String(event.position.value)
        return String(repeating: " ", count: max(0, 8 - position.count)) + position + "  "
            + event.serverTime.rfc3339 + "  " + event.type.rawValue.padding(toLength: 28, withPad: " ", startingAt: 0)
            + " " + "\(event.stream)@\(event.streamVersion)" + "  " + event.id.wireString
    }
}
