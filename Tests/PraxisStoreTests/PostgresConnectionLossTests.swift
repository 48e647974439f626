import Foundation
import Logging
import PostgresNIO
import PraxisProtocol
import PraxisStore
import Synchronization
import Testing

@testable import PraxisPostgres

/// The PostgreSQL log when the server drops its connections mid-write: every append ends (no
/// hang) with its result or a retryable `unavailable`, the store reconnects by itself, and a
/// client that resends a failed batch ends with every event in the log exactly once.
@Suite("PostgreSQL log: connection loss", .timeLimit(.minutes(3)))
struct PostgresConnectionLossTests {
    @Test("connections terminated during concurrent appends: typed errors, reconnection, nothing lost or doubled")
    func terminatedDuringWrites() async throws {
        let fixture = try await StoreFixture(.postgres)
        guard let database = fixture.database else { throw StoreFixtureError("no database") }
        try await Self.writeThrough(fixture, database) {
            let terminated = try await Self.terminateConnections(of: database, rounds: 12, every: .milliseconds(60))
            #expect(terminated > 0, "the test terminated connections")
        }
    }

    @Test("a PostgreSQL restart during concurrent appends: typed errors, reconnection, nothing lost or doubled")
    func restartDuringWrites() async throws {
        let environment = ProcessInfo.processInfo.environment
        guard let restart = environment["PRAXIS_PG_RESTART"], let server = environment["PRAXIS_TEST_POSTGRES_RESTARTABLE"]
        else {
            throw StoreFixtureError("PRAXIS_PG_RESTART is not set: run the tests with Tools/test")
        }
        // Its own server: restarting the one the other tests share would fail them.
        let fixture = try await StoreFixture(.postgres, server: server)
        guard let database = fixture.database else { throw StoreFixtureError("no database") }
        try await Self.writeThrough(fixture, database) {
            try await Task.sleep(for: .milliseconds(200))
            #expect(try await Self.shell(restart) == 0, "the server restarted")
        }
    }

    @Test("an append that cannot take the sequencer in time fails unavailable; resent later, it is in the log once")
    func operationTimeout() async throws {
        let fixture = try await StoreFixture(.postgres)
        guard let database = fixture.database else { throw StoreFixtureError("no database") }
        let store = try await PostgresEventStore.open(database, options: .init(operationTimeout: .milliseconds(500)))
        defer { store.close() }
        // Another session holds the sequencer, as a stuck node would.
        let holder = try await PostgresConnection.connect(
            configuration: .init(
                host: database.host, port: database.port, username: database.user, password: database.password,
                database: database.database, tls: .disable),
            id: 1, logger: PostgresEventStore.quietLogger)
        _ = try await holder.query(
            "SELECT pg_advisory_lock(\(PostgresSchema.sequencerLock))", logger: PostgresEventStore.quietLogger
        ).collect()
        let batch = TestEvents.batch(2, in: TestEvents.stream("timeout/1"))
        let started = ContinuousClock.now
        do {
            _ = try await store.append(batch, conditions: [:])
            Issue.record("the append took a held sequencer")
        } catch {
            #expect(error.code == .unavailable)
            // What an HTTP client may read: not where the database is.
            #expect(error.message == "the database did not answer within 0.5 seconds; the outcome is unknown; retry")
        }
        #expect(ContinuousClock.now - started < .seconds(10), "the caller got its answer at the time-out")
        try await holder.close()
        // The abandoned append may still commit once the lock is free: its outcome was unknown,
        // and resending the batch must not double it. The resend goes through a store with the
        // default time-out, so that a slow machine does not fail it for the wrong reason.
        let patient = try await PostgresEventStore.open(database)
        defer { patient.close() }
        let resent = try await patient.append(batch)
        #expect(resent.events.map(\.id) == batch.map(\.envelope.id))
        #expect(try await patient.read(from: LogPosition(1), limit: 100).map(\.id) == batch.map(\.envelope.id))
    }

    /// Four writers append 60 batches each, resending a failed batch until it is answered, while
    /// `fault` runs; then checks that the faults were felt, typed, and that the log holds every
    /// batch once, gap-free, with a Merkle tree and signed heads that agree with the events.
    static func writeThrough(
        _ fixture: StoreFixture, _ database: PostgresLocation, fault: @escaping @Sendable () async throws -> Void
    ) async throws {
        // Time-outs out of the way: only the watch on the connection may end a lost query here.
        let store = try await PostgresEventStore.open(
            database, options: .init(treeHeadKey: fixture.treeHeadKey, operationTimeout: .seconds(600)))
        defer { store.close() }
        let writers = 4
        let batchesPerWriter = 60
        let faults = Task { try await fault() }
        let writing = Task {
            try await withThrowingTaskGroup(of: ([UUID], [StoreError.Code]).self) { group in
                for writer in 0..<writers {
                    group.addTask {
                        let stream = TestEvents.stream("loss/\(writer)")
                        var ids: [UUID] = []
                        var failures: [StoreError.Code] = []
                        for _ in 0..<batchesPerWriter {
                            let batch = TestEvents.batch(3, in: stream)
                            // The outcome of a failed append is unknown; the resend must not double it.
                            while true {
                                do {
                                    _ = try await store.append(batch)
                                    break
                                } catch let error as StoreError {
                                    failures.append(error.code)
                                    try await Task.sleep(for: .milliseconds(20))
                                }
                            }
                            ids += batch.map(\.envelope.id)
                        }
                        return (ids, failures)
                    }
                }
                var all: ([UUID], [StoreError.Code]) = ([], [])
                for try await (ids, failures) in group {
                    all.0 += ids
                    all.1 += failures
                }
                return all
            }
        }
        // A store that hangs must fail this test, not hang the suite.
        guard await ends(writing, within: .seconds(90)) else {
            Issue.record("appends still waiting after 90 s")
            return
        }
        try await faults.value
        let (acknowledged, codes) = try await writing.value
        #expect(!codes.isEmpty, "the fault interrupted some appends")
        #expect(codes.allSatisfy { $0 == .unavailable }, "\(codes)")
        let log = try await store.read(from: LogPosition(1), limit: 10_000)
        #expect(log.count == writers * batchesPerWriter * 3, "every event once")
        #expect(Set(log.map(\.id)) == Set(acknowledged))
        #expect(log.map(\.position.value) == Array(1...Int64(log.count)))
        // The Merkle nodes written beside the rows agree with the events, and every signed head holds.
        #expect(try await LogVerifier(store: store).verify().fault == nil)
        #expect(try await TreeVerifier(store: store, publicKey: fixture.treeHeadKey.publicKey).verify().fault == nil)
        let stored = try await store.merkleRoot(size: nil)
        #expect(stored.size == Int64(log.count))
        #expect(stored.root == MerkleTree.root(of: log.map(\.merkleLeaf.hash)[...]))
    }

    /// Whether `task` ends within `limit`, without waiting for it beyond that.
    static func ends<T: Sendable>(_ task: Task<T, any Error>, within limit: Duration) async -> Bool {
        let ended = Flag()
        Task {
            _ = await task.result
            ended.raise()
        }
        let deadline = ContinuousClock.now + limit
        while ContinuousClock.now < deadline {
            if ended.isRaised { return true }
            try? await Task.sleep(for: .milliseconds(50))
        }
        return false
    }

    final class Flag: Sendable {
        private let raised = Mutex(false)
        var isRaised: Bool { raised.withLock { $0 } }
        func raise() { raised.withLock { $0 = true } }
    }

    /// Terminates every connection to `database` on the server, `rounds` times; returns how many it ended.
    static func terminateConnections(of database: PostgresLocation, rounds: Int, every interval: Duration) async throws
        -> Int
    {
        let configuration = PostgresClient.Configuration(
            host: database.host, port: database.port, username: database.user, password: database.password,
            database: "postgres", tls: .disable)
        let client = PostgresClient(configuration: configuration, backgroundLogger: PostgresEventStore.quietLogger)
        let runner = Task { await client.run() }
        defer { runner.cancel() }
        var terminated = 0
        for _ in 0..<rounds {
            try await Task.sleep(for: interval)
            let rows = try await client.query(
                """
                SELECT COUNT(*)::BIGINT FROM (SELECT pg_terminate_backend(pid) FROM pg_stat_activity
                WHERE datname = \(database.database) AND pid <> pg_backend_pid()) AS ended
                """)
            for try await count in rows.decode(Int64.self) { terminated += Int(count) }
        }
        return terminated
    }

    /// Runs `command` with /bin/sh and returns its exit status, without blocking a concurrency thread.
    static func shell(_ command: String) async throws -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", command]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        return try await withCheckedThrowingContinuation { continuation in
            process.terminationHandler = { continuation.resume(returning: $0.terminationStatus) }
            do { try process.run() } catch { continuation.resume(throwing: error) }
        }
    }
}
