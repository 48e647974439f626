import Foundation
import PraxisPostgres
import PraxisProtocol
import PraxisStore
import Synchronization
import Testing

/// The PostgreSQL log when its server goes away: typed, retryable errors, reconnection without
/// help, and no acknowledged event lost.
@Suite("PostgreSQL log: connection loss", .serialized, .timeLimit(.minutes(2)))
struct PostgresResilienceTests {
    @Test("a server restart during appends: errors are unavailable, the store reconnects, every acknowledged event is there")
    func restartDuringWrites() async throws {
        let environment = ProcessInfo.processInfo.environment
        guard let restart = environment["PRAXIS_PG_RESTART"], let server = environment["PRAXIS_TEST_POSTGRES_RESTARTABLE"]
        else {
            throw StoreFixtureError("PRAXIS_PG_RESTART is not set: run the tests with Tools/test")
        }
        // Its own server: restarting the one the other tests share would fail them.
        let fixture = try await StoreFixture(.postgres, server: server)
        let store = try await fixture.open()
        let stream = TestEvents.stream("resilience/1")
        let acknowledged = Mutex<[UUID]>([])
        let failures = Mutex<[StoreError.Code?]>([])
        let writer = Task {
            for index in 0..<400 {
                let event = TestEvents.make(stream, payload: ["n": .number(Double(index))])
                do {
                    _ = try await store.append([event])
                    acknowledged.withLock { $0.append(event.envelope.id) }
                } catch {
                    failures.withLock { $0.append((error as? StoreError)?.code) }
                    try? await Task.sleep(for: .milliseconds(20))
                }
            }
        }
        try await Task.sleep(for: .milliseconds(150))
        #expect(try await Self.shell(restart) == 0)
        await writer.value
        let codes = failures.withLock { $0 }
        #expect(!codes.isEmpty, "the restart interrupted some appends")
        #expect(codes.allSatisfy { $0 == .unavailable }, "\(codes)")
        // It reconnected by itself: appends work again, and every acknowledged event is in the log once.
        _ = try await store.append([TestEvents.make(stream)])
        let ids = acknowledged.withLock { $0 }
        let stored = try await store.recordedEvents(ids: ids)
        #expect(stored.count == ids.count)
        let all = try await store.read(from: LogPosition(1), limit: 10_000)
        #expect(Set(all.map(\.id)).count == all.count)
        #expect(all.map(\.position.value) == Array(1...Int64(all.count)))
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
