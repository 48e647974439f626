import Foundation
import Hummingbird
import HummingbirdTesting
import PraxisProtocol
import PraxisServer
import PraxisStore
import Testing

@Suite("HTTP: health, operator log, errors")
struct ServerTests {
    @Test("GET /health reports status, head and version")
    func health() async throws {
        let fixture = try ServerFixture()
        try await fixture.seed(3)
        try await fixture.application.test(.router) { client in
            let response = try await client.execute(uri: "/health", method: .get)
            #expect(response.status == .ok)
            #expect(response.headers[.contentType] == "application/json; charset=utf-8")
            #expect(try response.json == ["status": "ok", "head": 3, "version": .string(ServerConfiguration.version)])
        }
    }

    @Test("GET /v1/log pages through the whole log in order")
    func logPaging() async throws {
        let fixture = try ServerFixture()
        try await fixture.seed(250)
        let written = try await fixture.store.read(from: 1, limit: 1000)
        try await fixture.application.test(.router) { client in
            var from = 1
            var seen: [JSONValue] = []
            while true {
                let response = try await client.execute(
                    uri: "/v1/log?from=\(from)&limit=100", method: .get, headers: operatorHeaders)
                #expect(response.status == .ok)
                let page = try response.json
                let events = try #require(page["events"]?.arrayValue)
                #expect(page["head"] == 250)
                if events.isEmpty {
                    #expect(page["next_from"]?.integerValue == Int64(from))
                    break
                }
                #expect(events.count <= 100)
                seen += events
                from = Int(try #require(page["next_from"]?.integerValue))
            }
            #expect(seen == written.map(\.json))
            #expect(seen.compactMap { $0["position"]?.integerValue } == Array(1...250))
        }
    }

    @Test("a logged event carries its envelope, position, stream version, server time and hash")
    func eventShape() async throws {
        let fixture = try ServerFixture()
        try await fixture.seed(1)
        let recorded = try #require(try await fixture.store.read(from: 1, limit: 1).first)
        try await fixture.application.test(.router) { client in
            let response = try await client.execute(uri: "/v1/log", method: .get, headers: operatorHeaders)
            let event = try #require(try response.json["events"]?.arrayValue?.first)
            #expect(event["id"]?.stringValue == recorded.id.wireString)
            #expect(event["stream"] == "community/0")
            #expect(event["stream_version"] == 1)
            #expect(event["type"] == "note_added")
            #expect(event["payload"] == ["n": 0])
            #expect(event["server_time"]?.stringValue == recorded.serverTime.rfc3339)
            #expect(event["hash"]?.stringValue == recorded.event.hash.base64URL)
            // The author-written part re-hashes to the published hash.
            let envelope = try EventEnvelope(
                json: .object(
                    (event.objectValue ?? [:]).filter {
                        ["id", "stream", "type", "schema_version", "payload", "metadata"].contains($0.key)
                    }))
            #expect(AuthoredEvent(envelope).hash.base64URL == event["hash"]?.stringValue)
        }
    }

    @Test(
        "operator endpoints refuse missing or wrong credentials",
        arguments: [nil, "Bearer wrong", "Basic abc", "Bearer ", ServerFixture.operatorToken] as [String?])
    func operatorAuth(header: String?) async throws {
        let fixture = try ServerFixture()
        try await fixture.application.test(.router) { client in
            var headers: HTTPFields = [:]
            if let header { headers[.authorization] = header }
            let response = try await client.execute(uri: "/v1/log", method: .get, headers: headers)
            #expect(response.status == .unauthorized)
            #expect(response.errorCode == "unauthorized")
            #expect(response.headers[.wwwAuthenticate] == "Bearer")
        }
    }

    @Test(
        "bad paging parameters are answered with invalid_parameter",
        arguments: ["from=0", "from=-1", "from=abc", "limit=0", "limit=1001", "limit=1.5", "from=99999999999999999999"])
    func badParameters(query: String) async throws {
        let fixture = try ServerFixture()
        try await fixture.application.test(.router) { client in
            let response = try await client.execute(uri: "/v1/log?\(query)", method: .get, headers: operatorHeaders)
            #expect(response.status == .badRequest)
            #expect(response.errorCode == "invalid_parameter")
        }
    }

    @Test("unknown paths and methods answer not_found in the error shape")
    func notFound() async throws {
        let fixture = try ServerFixture()
        try await fixture.application.test(.router) { client in
            for (uri, method) in [("/nope", HTTPRequest.Method.get), ("/v1/log/../../etc/passwd", .get), ("/health", .delete)] {
                let response = try await client.execute(uri: uri, method: method, headers: operatorHeaders)
                #expect(response.status == .notFound, "\(method) \(uri)")
                #expect(response.errorCode == "not_found", "\(method) \(uri)")
            }
        }
    }

    @Test("a body over the limit is refused before it is read")
    func bodyLimit() async throws {
        let fixture = try ServerFixture()
        try await fixture.application.test(.router) { client in
            let big = ByteBuffer(repeating: UInt8(ascii: "x"), count: 5000)
            let response = try await client.execute(uri: "/health", method: .post, body: big)
            #expect(response.status == .contentTooLarge)
            #expect(response.errorCode == "payload_too_large")
        }
    }

    @Test("a failing store answers 503 unavailable with Retry-After, and no internals")
    func storeUnavailable() async throws {
        let fixture = try ServerFixture()
        try fixture.store.close()
        try await fixture.application.test(.router) { client in
            let response = try await client.execute(uri: "/health", method: .get)
            #expect(response.status == .serviceUnavailable)
            #expect(response.errorCode == "unavailable")
            #expect(response.headers[.retryAfter] == "1")
            let text = String(buffer: response.body)
            #expect(!text.contains("SELECT") && !text.contains("events"))
        }
    }

    @Test("a live server answers over a real socket")
    func liveSmoke() async throws {
        let fixture = try ServerFixture()
        try await fixture.seed(2)
        try await fixture.application.test(.live) { client in
            let response = try await client.execute(uri: "/health", method: .get)
            #expect(response.status == .ok)
            #expect(try response.json["head"] == 2)
            let log = try await client.execute(uri: "/v1/log?limit=1", method: .get, headers: operatorHeaders)
            #expect(try log.json["next_from"] == 2)
        }
    }
}
