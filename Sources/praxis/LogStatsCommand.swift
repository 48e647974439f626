import ArgumentParser
import Foundation
import PraxisProtocol
import PraxisStore

/// `praxis log stats`: how many events, the head, and counts per type.
struct LogStats: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stats",
        abstract: "Print the event count, the head position and the count per event type.",
        discussion: """
            Examples:
              praxis log stats
              praxis log stats --json | jq '.counts_by_type | length'
            """
    )

    @OptionGroup var data: DataOptions

    @Flag(help: "Print JSON instead of a table.")
    var json = false

    func run() async throws {
        let statistics = try await data.openLog().statistics()
        let byType = statistics.countsByType.sorted { ($1.value, $0.key) < ($0.value, $1.key) }
        if json {
            let value: JSONValue = [
                "event_count": .number(Double(statistics.eventCount)),
                "head": .number(Double(statistics.head.value)),
                "counts_by_type": .object(
                    Dictionary(uniqueKeysWithValues: byType.map { ($0.key.rawValue, .number(Double($0.value))) })),
            ]
            print(String(decoding: CanonicalJSON.encode(value), as: UTF8.self))
            return
        }
        print("events  \(statistics.eventCount)")
        print("head    \(statistics.head)")
        print("types   \(byType.count)")
        for (type, count) in byType {
            print("  " + type.rawValue.padding(toLength: 32, withPad: " ", startingAt: 0) + String(count))
        }
    }
}
