import ArgumentParser
import Foundation
import PraxisProjections
import PraxisProtocol
import PraxisStore

/// `praxis projections …`: the read models built from the log.
struct Projections: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Inspect, rebuild and fingerprint the read models.",
        discussion: """
            Read models live in DATA/projections.sqlite and can be rebuilt from the log at any time, \
            also while `praxis serve` runs: a rebuild fills a shadow generation and swaps it in \
            atomically; reads use the old one until then.

            Examples:
              praxis projections status
              praxis projections rebuild --all
              praxis projections digest --json
            """,
        subcommands: [Status.self, Rebuild.self, Cancel.self, Digest.self]
    )

    /// The log and the read models of a data folder.
    static func engine(_ data: DataOptions) async throws -> ProjectionEngine<AnyEventStore> {
        let engine = ProjectionEngine(
            store: try await data.openLog(), readModels: try ReadModelStore(path: data.readModelPath),
            projections: ProjectionCatalog.all)
        try await engine.prepare()
        return engine
    }

    struct Status: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Each read model's version, generation, checkpoint and lag behind the log.",
            discussion: "Example:\n  praxis projections status --json")

        @OptionGroup var data: DataOptions
        @Flag(help: "Print JSON.") var json = false

        func run() async throws {
            let status = try await Projections.engine(data).status()
            if json {
                printJSON(.array(status.map(\.json)))
                return
            }
            for entry in status {
                let outdated =
                    entry.activeVersion != entry.version ? " (built by version \(entry.activeVersion): rebuild needed)" : ""
                let rebuilding = entry.rebuildingAt.map { ", rebuild under way at \($0)" } ?? ""
                print(
                    "\(entry.name) v\(entry.version) generation \(entry.generation): at \(entry.checkpoint), lag \(entry.lag)\(outdated)\(rebuilding)"
                )
            }
        }
    }

    struct Rebuild: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Rebuild read models from the log, beside the live ones, then swap them in.",
            discussion: """
                Prints progress with events/s and an ETA. --all reads the log once and applies each \
                page to every read model. Interrupted (Ctrl-C), it resumes where it stopped the next \
                time; --restart starts over.

                Examples:
                  praxis projections rebuild --all
                  praxis projections rebuild community_feed --restart
                """)

        @OptionGroup var data: DataOptions
        @Argument(help: "The read model to rebuild.") var name: String?
        @Flag(help: "Rebuild every read model.") var all = false
        @Flag(help: "Discard a rebuild in progress and start over.") var restart = false

        func validate() throws {
            guard (name == nil) != !all else { throw ValidationError("name one read model, or pass --all") }
        }

        func run() async throws {
            let engine = try await Projections.engine(data)
            let store = try await data.openLog()
            let names = all ? await engine.names : [name ?? ""]
            let started = Date()
            let bar = ProgressBar(total: Int(try await store.head().value), label: "events")
            do {
                try await engine.rebuild(names, restart: restart) { progress in
                    bar.update(Int(progress.position.value), detail: "\(Int(progress.eventsPerSecond)) events/s")
                }
            } catch let error as ProjectionError {
                bar.finish()
                throw CLIFailure("\(error)")
            }
            bar.finish()
            let seconds = Date().timeIntervalSince(started)
            let head = try await store.head()
            print(
                "rebuilt \(names.joined(separator: ", ")) to position \(head) in \(String(format: "%.2f", seconds)) s (\(Int(Double(head.value) / max(seconds, 0.001))) events/s)"
            )
        }
    }

    struct Cancel: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Discard a rebuild in progress; the live read model stays as it is.",
            discussion: "Example:\n  praxis projections cancel community_feed")

        @OptionGroup var data: DataOptions
        @Argument(help: "The read model whose rebuild to discard.") var name: String

        func run() async throws {
            let engine = try await Projections.engine(data)
            guard await engine.names.contains(name) else { throw CLIFailure("no projection \(name)") }
            try await engine.cancelRebuild(name)
            print("cancelled the rebuild of \(name)")
        }
    }

    struct Digest: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print NAME VERSION POSITION SHA256 for each read model, after catching up with the log.",
            discussion: """
                The same log gives the same digests, whether the read models were built step by step \
                or rebuilt at once.

                Example:
                  praxis projections digest
                """)

        @OptionGroup var data: DataOptions
        @Flag(help: "Print JSON.") var json = false

        func run() async throws {
            let engine = try await Projections.engine(data)
            try await engine.catchUp()
            let digests = try await engine.digests()
            if json {
                printJSON(
                    .array(
                        digests.map {
                            [
                                "name": .string($0.name), "version": .number(Double($0.version)),
                                "position": .number(Double($0.position.value)), "sha256": .string($0.sha256),
                                "rows": .number(Double($0.rows)),
                            ]
                        }))
            } else {
                for digest in digests { print(digest) }
            }
        }
    }
}
