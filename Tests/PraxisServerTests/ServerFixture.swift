import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import PraxisProjections
import PraxisProtocol
import PraxisServer
import PraxisStore
import Testing

/// A real SQLite log in a temporary folder and the Praxis application over it.
final class ServerFixture: Sendable {
    static let operatorToken = "test-operator-token-with-enough-entropy-0123456789"

    let folder: URL
    let store: SQLiteEventStore
    let backend: PraxisBackend<SQLiteEventStore>
    let treeHeadKey = TreeHeadKey()

    let maximumBodyBytes: Int
    let syncHorizon: Int64?
    let idleTimeout: Duration
    let requestTimeout: Duration
    let rateLimit: RateLimit?
    let maximumLiveConnections: Int
    /// The server's clock.
    let clock: @Sendable () -> Timestamp

    init(
        maximumBodyBytes: Int = 4096, syncHorizon: Int64? = nil, idleTimeout: Duration = .seconds(30),
        requestTimeout: Duration = .seconds(60), rateLimit: RateLimit? = nil, maximumLiveConnections: Int = 1000,
        clock: @escaping @Sendable () -> Timestamp = { Timestamp(Date()) }
    ) throws {
        self.clock = clock
        self.maximumBodyBytes = maximumBodyBytes
        self.syncHorizon = syncHorizon
        self.idleTimeout = idleTimeout
        self.requestTimeout = requestTimeout
        self.rateLimit = rateLimit
        self.maximumLiveConnections = maximumLiveConnections
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("praxis-server-\(UUID().wireString)")
        store = try SQLiteEventStore(
            path: folder.appendingPathComponent("log.sqlite").path, options: .init(treeHeadKey: treeHeadKey))
        backend = PraxisBackend(
            store: store, readModels: try ReadModelStore(path: folder.appendingPathComponent("projections.sqlite").path),
            serverKey: treeHeadKey)
    }

    deinit { try? FileManager.default.removeItem(at: folder) }

    var configuration: ServerConfiguration {
        ServerConfiguration(
            host: "127.0.0.1", port: 0, maximumBodyBytes: maximumBodyBytes,
            operatorTokenHash: EventHash(hashing: Self.operatorToken.utf8), syncHorizon: syncHorizon,
            idleTimeout: idleTimeout, requestTimeout: requestTimeout, rateLimit: rateLimit,
            maximumLiveConnections: maximumLiveConnections)
    }

    var application: some ApplicationProtocol {
        PraxisServer.application(backend: backend, configuration: configuration, logger: Logger(label: "test"), clock: clock)
    }

    /// Runs `test` against the router with the projection engine following the log, as `serve`
    /// runs it, for tests that read the read models.
    func withReadModels(_ test: @escaping @Sendable (any TestClientProtocol) async throws -> Void) async throws {
        let engine = Task {
            try await backend.engine.prepare()
            try await backend.engine.run()
        }
        defer { engine.cancel() }
        try await application.test(.router, test)
    }

    /// Appends `count` events spread over a few streams.
    func seed(_ count: Int) async throws {
        for start in stride(from: 0, to: count, by: 50) {
            let batch = (start..<min(start + 50, count)).map { index in
                AuthoredEvent(
                    EventEnvelope(
                        id: UUID(), stream: StreamName("community/\(index % 5)")!, type: EventTypeName("note_added")!,
                        payload: ["n": .number(Double(index))]))
            }
            _ = try await store.append(batch)
        }
    }
}

extension TestResponse {
    /// The body parsed as JSON.
    var json: JSONValue {
        get throws { try JSONParser.parse(Array(buffer: body)) }
    }

    /// The `error.code` of a Praxis error answer.
    var errorCode: String? { (try? json)?["error"]?["code"]?.stringValue }
}

let operatorHeaders: HTTPFields = [.authorization: "Bearer \(ServerFixture.operatorToken)"]
