import ArgumentParser
import Foundation
import PraxisCommands
import PraxisDomain
import PraxisProtocol
import PraxisStore

/// `praxis bench …`: the measurements Tools/bench combines into figures with their limits.
struct Bench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Measure the log: appends, the raw SQLite limit, reading the whole log.",
        discussion: """
            Each subcommand prints one JSON line with "events", "seconds" and "events_per_second". \
            Tools/bench runs them with their limits and peers in the same run.

            Examples:
              praxis bench append --store postgres://postgres@127.0.0.1:5432/bench \\
                --writers 8 --batch 1
              praxis bench raw-sqlite --out /tmp/raw.sqlite --events 100000 --batch 100
              praxis bench read --data ./bench-data
            """,
        subcommands: [Append.self, RawSQLite.self, Read.self, Push.self, Verify.self, Storm.self, Load.self])

    /// The event every benchmark appends: a comment-sized payload, with a version 7 id drawn from
    /// `random` as the server draws its ids (from ``SplitMix64``: Foundation's `UUID()` opens
    /// `/dev/urandom` on every call here, and the system generator makes a system call for each of
    /// the ten draws of an id — a seventh of appending a batch of 100 in the profile).
    static func event(_ index: Int, in stream: StreamName, using random: inout SplitMix64) -> AuthoredEvent {
        AuthoredEvent(
            EventEnvelope(
                id: UUID.version7(at: Timestamp(Date()), using: &random), stream: stream, type: EventTypeName("bench_event")!,
                payload: ["n": .number(Double(index)), "text": "a short payload like a comment"]))
    }

    static func report(events: Int, since started: ContinuousClock.Instant, _ extra: [String: JSONValue] = [:]) {
        report(events: events, seconds: (ContinuousClock.now - started) / .seconds(1), extra)
    }

    static func report(events: Int, seconds: Double, _ extra: [String: JSONValue] = [:]) {
        var line: [String: JSONValue] = [
            "events": .number(Double(events)), "seconds": .number((seconds * 1000).rounded() / 1000),
            "events_per_second": .number((Double(events) / seconds).rounded()),
        ]
        for (key, value) in extra { line[key] = value }
        printJSON(.object(line))
    }

    struct Append: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Durable appends per second into the log, with concurrent writers.",
            discussion: """
                Appends --events events in batches of --batch from --writers concurrent tasks, each to its \
                own stream, with hashing, the Merkle tree and a signed head per batch. Only into an empty \
                log: benchmark events could never be taken out of a real one (the log is append-only).
                """)

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
            guard try await store.head() == .start else {
                throw CLIFailure(
                    "\(data.logDescription) is not empty; bench append writes benchmark events that could never be "
                        + "taken out of a log, so give it an empty folder (--data) or database (--store)")
            }
            let perWriter = max(1, events / writers / batch)
            let (batch, writers) = (self.batch, self.writers)
            let started = ContinuousClock.now
            try await withThrowingTaskGroup(of: Void.self) { group in
                for writer in 0..<writers {
                    group.addTask {
                        guard let stream = StreamName("bench/\(UUID().uuidString.lowercased())-\(writer)") else { return }
                        var random = SplitMix64()
                        for _ in 0..<perWriter {
                            _ = try await store.append((0..<batch).map { Bench.event($0, in: stream, using: &random) })
                        }
                    }
                }
                try await group.waitForAll()
            }
            Bench.report(
                events: perWriter * batch * writers, since: started,
                ["batch": .number(Double(batch)), "writers": .number(Double(writers))])
        }
    }

    struct RawSQLite: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "raw-sqlite",
            abstract: "The limit for appends: the same event bytes into a table with only an integer key.",
            discussion: """
                WAL and synchronous=FULL, like the log; one transaction per batch. --shape log-indexes also \
                writes each event's id, stream and version under the log's two unique indexes: what SQLite \
                alone costs a log with idempotent appends and expected versions.
                """)

        @Option(help: "A new SQLite file to write.") var out: String
        @Option(help: "Events to insert.") var events = 2000
        @Option(help: "Events per transaction.") var batch = 1
        @Option(
            help: "The table: integer-key (the limit) or log-indexes.",
            transform: { text in
                guard let shape = RawSQLiteBaseline.Shape(rawValue: text) else {
                    let shapes = RawSQLiteBaseline.Shape.allCases.map(\.rawValue).joined(separator: ", ")
                    throw ValidationError("must be one of \(shapes)")
                }
                return shape
            })
        var shape = RawSQLiteBaseline.Shape.integerKey

        func validate() throws {
            guard events > 0, (1...1000).contains(batch) else { throw ValidationError("--events > 0, --batch 1–1000") }
            guard !FileManager.default.fileExists(atPath: out) else { throw ValidationError("\(out) exists already") }
        }

        func run() async throws {
            guard let stream = StreamName("bench/raw") else { return }
            var random = SplitMix64()
            let rows = (0..<events).map { Bench.event($0, in: stream, using: &random) }
            let took = try RawSQLiteBaseline.insert(rows, batch: batch, path: out, shape: shape)
            Bench.report(
                events: events, seconds: took / .seconds(1),
                ["batch": .number(Double(batch)), "shape": .string(shape.rawValue)])
        }
    }

    struct Read: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Read the whole log in order, each event decoded (envelope and, for domain events, payload).")

        @OptionGroup var data: DataOptions

        func run() async throws {
            let store = try await data.openLog()
            defer { store.close() }
            let started = ContinuousClock.now
            var count = 0
            var next = LogPosition(1)
            while true {
                let page = try await store.read(from: next, limit: 1000)
                guard let last = page.last else { break }
                for event in page { _ = try? EventRegistry.decode(event.envelope) }
                count += page.count
                next = LogPosition(last.position.value + 1)
            }
            Bench.report(events: count, since: started)
        }
    }
}
