import Foundation
import PostgresNIO
import PraxisPostgres
import PraxisProtocol
import PraxisStore
import Synchronization
import Testing

/// The store implementations the conformance suite runs against.
enum StoreKind: String, CaseIterable, CustomTestStringConvertible, Sendable {
    case sqlite
    /// A fresh database on the server `Tools/test` starts (`PRAXIS_TEST_POSTGRES`).
    case postgres

    var testDescription: String { rawValue }
}

/// A fresh store in its own temporary folder (SQLite) or database (PostgreSQL).
final class StoreFixture: Sendable {
    let folder: URL
    let database: PostgresLocation?
    let kind: StoreKind
    let clock: TestClock
    /// Signs a tree head after every append.
    let treeHeadKey = TreeHeadKey()

    /// `server` overrides `PRAXIS_TEST_POSTGRES` (a postgres:// URL).
    init(_ kind: StoreKind, server: String? = nil) async throws {
        self.kind = kind
        let name = "praxis_" + UUID().wireString.replacingOccurrences(of: "-", with: "")
        folder = FileManager.default.temporaryDirectory.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        clock = TestClock()
        switch kind {
        case .sqlite:
            database = nil
        case .postgres:
            var location = try server.flatMap(PostgresLocation.init(url:)) ?? Self.testServer()
            location.database = name
            try await PostgresEventStore.createDatabaseIfMissing(location)
            database = location
        }
    }

    /// The server `Tools/test` started; the tests need it, so its absence is a failure, not a skip.
    static func testServer() throws -> PostgresLocation {
        guard let url = ProcessInfo.processInfo.environment["PRAXIS_TEST_POSTGRES"], let location = PostgresLocation(url: url)
        else {
            throw StoreFixtureError(
                "PRAXIS_TEST_POSTGRES is not set: run the tests with Tools/test, which starts a throwaway PostgreSQL")
        }
        return location
    }

    var logPath: String { folder.appendingPathComponent("log.sqlite").path }

    /// Opens the store under test; every call opens a new connection to the same log.
    func open(limits: AppendLimits = AppendLimits()) async throws -> any EventStore {
        switch kind {
        case .sqlite: return try openSQLite(limits: limits)
        case .postgres:
            let clock = self.clock
            guard let database else { throw StoreFixtureError("no database") }
            return try await PostgresEventStore.open(
                database, options: .init(limits: limits, treeHeadKey: treeHeadKey), clock: { clock.now() })
        }
    }

    /// Opens the SQLite log in this fixture's folder.
    func openSQLite(limits: AppendLimits = AppendLimits()) throws -> SQLiteEventStore {
        let clock = self.clock
        return try SQLiteEventStore(
            path: logPath, options: .init(createIfMissing: true, limits: limits, treeHeadKey: treeHeadKey),
            clock: { clock.now() })
    }

    /// Runs `body` with a client of this fixture's PostgreSQL database.
    func withPostgres<T: Sendable>(_ body: (PostgresClient) async throws -> T) async throws -> T {
        guard let database else { throw StoreFixtureError("no database") }
        let client = PostgresClient(
            configuration: PostgresClient.Configuration(
                host: database.host, port: database.port, username: database.user, password: database.password,
                database: database.database, tls: .disable),
            backgroundLogger: PostgresEventStore.quietLogger)
        let runner = Task { await client.run() }
        defer { runner.cancel() }
        return try await body(client)
    }

    deinit { try? FileManager.default.removeItem(at: folder) }
}

struct StoreFixtureError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// A clock that advances one millisecond per reading, so server times are predictable.
final class TestClock: Sendable {
    private let start: Int64 = 1_795_780_800_000
    private let ticks = Mutex(Int64(0))

    func now() -> Timestamp {
        Timestamp(
            millisecondsSinceEpoch: start
                + ticks.withLock { value in
                    value += 1
                    return value
                })
    }
}

/// Builds events for tests.
enum TestEvents {
    static func stream(_ name: String) -> StreamName {
        guard let stream = StreamName(name) else { fatalError("invalid test stream \(name)") }
        return stream
    }

    static func make(
        _ stream: StreamName, type: String = "note_added", payload: [String: JSONValue] = ["text": "hello"],
        id: UUID = UUID()
    ) -> AuthoredEvent {
        guard let typeName = EventTypeName(type) else { fatalError("invalid test type \(type)") }
        return AuthoredEvent(
            EventEnvelope(
                id: id, stream: stream, type: typeName, payload: payload,
                metadata: EventMetadata(actor: UUID(), clientTime: Timestamp(millisecondsSinceEpoch: 1_000))))
    }

    static func batch(_ count: Int, in stream: StreamName, type: String = "note_added") -> [AuthoredEvent] {
        (0..<count).map { make(stream, type: type, payload: ["n": .number(Double($0))]) }
    }
}

/// Expects `body` to fail with a ``StoreError`` of `code`.
func expectStoreError(
    _ code: StoreError.Code, _ comment: Comment? = nil, sourceLocation: SourceLocation = #_sourceLocation,
    _ body: () async throws(StoreError) -> Void
) async {
    do {
        try await body()
        Issue.record("expected \(code), but the operation succeeded", sourceLocation: sourceLocation)
    } catch {
        #expect(error.code == code, comment, sourceLocation: sourceLocation)
    }
}
