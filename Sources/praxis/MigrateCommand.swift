import ArgumentParser
import Foundation
import PraxisPostgres
import PraxisProjections
import PraxisProtocol
import PraxisStore

/// `praxis migrate`: a SQLite log into PostgreSQL, proved identical.
struct Migrate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Copy a data folder's SQLite log into PostgreSQL, then prove the copy.",
        discussion: """
            Copies every event with its position, stream version, server time and author signature, \
            the Merkle tree, the signed tree heads and the keys that signed them, in pages, into a \
            PostgreSQL log (the database is created if missing). Then it proves the copy: the \
            Merkle root at the same tree size must be identical, and so must the digests of every read \
            model built from each log. Exit 1 if anything differs.

            Interrupted, or run again once the SQLite log has grown, it goes on after the events \
            the database holds already, once their Merkle root matches the log's at that size; \
            a database holding another log is refused. Start nodes on the database only once \
            migrate has printed "migrated and proved".

            Example:
              praxis migrate --from ./praxis-data --to postgres://praxis@db:5432/praxis
            """)

    @Option(help: "The data folder whose log.sqlite to copy.", completion: .directory) var from = "./praxis-data"
    @Option(help: "The PostgreSQL log, postgres://user@host:port/database.") var to: String

    func run() async throws {
        guard let location = PostgresLocation(url: to) else {
            throw CLIFailure("'\(to)' is not a postgres://user@host:port/database URL")
        }
        let data = DataOptions.at(from)
        let source = try data.openStore()
        try await PostgresEventStore.createDatabaseIfMissing(location)
        let target = try await PostgresEventStore.open(location)
        defer { target.close() }
        let copied = try await copiedSoFar(source: source, target: target, location: location)
        let head = try await source.head()
        let keys = try await source.signingKeys()
        let bar = ProgressBar(total: Int(head.value), label: "events")
        var next = copied.next
        while next <= head {
            let page = try await source.read(from: next, limit: 1000)
            guard let last = page.last else { break }
            let heads = try await source.signedTreeHeads(after: next.value - 1, limit: 10_000)
                .filter { $0.head.treeSize <= last.position.value }
            try await target.importRecorded(page, heads: heads, keys: next == copied.next ? keys : [])
            bar.update(Int(last.position.value), detail: "copied")
            next = last.position.next
        }
        bar.finish()
        try await prove(source: source, target: target, data: data)
    }

    /// How much of the log the target holds already: nothing, or — after an interrupted or earlier
    /// migration — the log's first events, which have the same Merkle root at its size. A target
    /// holding anything else is refused.
    private func copiedSoFar(source: SQLiteEventStore, target: PostgresEventStore, location: PostgresLocation)
        async throws -> LogPosition
    {
        let copied = try await target.head()
        guard copied != .start else { return .start }
        guard copied <= (try await source.head()),
            try await source.merkleRoot(size: copied.value).root == (try await target.merkleRoot(size: copied.value).root)
        else {
            throw CLIFailure("\(location) already holds a log that does not begin as this one; migrate into an empty database")
        }
        print("\(location) holds this log's first \(copied) events already (same Merkle root); copying from \(copied.next) on")
        return copied
    }

    /// The same Merkle root at the same size, and the same read-model digests from both logs.
    private func prove(source: SQLiteEventStore, target: PostgresEventStore, data: DataOptions) async throws {
        let (size, sourceRoot) = try await source.merkleRoot(size: nil)
        let (_, targetRoot) = try await target.merkleRoot(size: size)
        guard sourceRoot == targetRoot else {
            throw CLIFailure("the Merkle roots at tree size \(size) differ: the copy is not the log")
        }
        print("merkle root at tree size \(size): \(Base64URL.encode(sourceRoot)) in both logs")
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("praxis-migrate-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let sourceDigests = try await digests(of: source, at: scratch.appendingPathComponent("sqlite.sqlite").path)
        let targetDigests = try await digests(of: target, at: scratch.appendingPathComponent("postgres.sqlite").path)
        for (ours, theirs) in zip(sourceDigests, targetDigests) {
            print("\(ours.name) \(ours.sha256) \(ours.sha256 == theirs.sha256 ? "identical" : "DIFFERS: \(theirs.sha256)")")
        }
        guard sourceDigests.map(\.sha256) == targetDigests.map(\.sha256) else {
            throw CLIFailure("the read models built from the two logs differ")
        }
        print("migrated and proved: \(size) events")
    }

    private func digests<Store: EventStore>(of store: Store, at path: String) async throws -> [ProjectionDigest] {
        let engine = ProjectionEngine(
            store: store, readModels: try ReadModelStore(path: path), projections: ProjectionCatalog.all)
        try await engine.prepare()
        try await engine.catchUp()
        return try await engine.digests()
    }
}
