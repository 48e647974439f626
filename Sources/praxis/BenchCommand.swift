import ArgumentParser
import Foundation
import PraxisProtocol
import PraxisStore

/// `praxis bench append`: durable append throughput of the log `--data`/`--store` names, for the
/// benchmark suite under Tools/ and the PostgreSQL design note.
struct Bench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Measure the log: durable appends per second with concurrent writers.",
        discussion: """
            Appends --events events in batches of --batch from --writers concurrent tasks, each to its
            own stream, with hashing, the Merkle tree and a signed head per batch, and prints one JSON
            line: {"events","batch","writers","seconds","events_per_second"}. Use an empty log.

            Example:
              praxis bench append --store postgres://postgres@127.0.0.1:5432/bench --writers 8 --batch 1
            """,
        subcommands: [Append.self])

    struct Append: AsyncParsableCommand {
        @OptionGroup var data: DataOptions
        @Option(help: "Events to append in all.") var events = 2000
        @Option(help: "Events per batch.") var batch = 1
        @Option(help: "Concurrent writers.") var writers = 1

        func validate() throws {
            guard events > 0, (1...1000).contains(batch), (1...64).contains(writers) else {
                throw ValidationError("--events > 0, --batch 1–1000, --writers 1–64")
            }
        }

        func run() async throws {
            let store = try await data.openLog(create: true)
            defer { store.close() }
            let perWriter = max(1, events / writers / batch)
            let (batch, writers) = (self.batch, self.writers)
            let started = ContinuousClock.now
            try await withThrowingTaskGroup(of: Void.self) { group in
                for writer in 0..<writers {
                    group.addTask {
                        let stream = StreamName("bench/\(UUID().uuidString.lowercased())-\(writer)")!
                        for _ in 0..<perWriter {
                            let events = (0..<batch).map { index in
                                AuthoredEvent(
                                    EventEnvelope(
                                        id: UUID(), stream: stream, type: EventTypeName("bench_event")!,
                                        payload: ["n": .number(Double(index)), "text": "a short payload like a comment"]))
                            }
                            _ = try await store.append(events)
                        }
                    }
                }
                try await group.waitForAll()
            }
            let seconds = (ContinuousClock.now - started) / .seconds(1)
            let total = perWriter * batch * writers
            printJSON([
                "events": .number(Double(total)), "batch": .number(Double(batch)), "writers": .number(Double(writers)),
                "seconds": .number((seconds * 1000).rounded() / 1000),
                "events_per_second": .number((Double(total) / seconds).rounded()),
            ])
        }
    }
}
