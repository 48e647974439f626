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

    @Test("a page of large events ends before 4 MiB, and the next page goes on from there")
    func logPageBytes() async throws {
        let fixture = try ServerFixture()
        for index in 0..<30 {  // about 200 kB each, 6 MB in all
            let text = String(repeating: "\(index % 10)", count: 200_000)
            _ = try await fixture.store.append([
                AuthoredEvent(
                    EventEnvelope(
                        id: UUID(), stream: StreamName("community/big")!, type: EventTypeName("note_added")!,
                        payload: ["text": .string(text)]))
            ])
        }
        let written = try await fixture.store.read(from: 1, limit: 1000)
        try await fixture.application.test(.router) { client in
            var from = 1
            var pages: [[JSONValue]] = []
            while pages.count < 10 {
                let response = try await client.execute(
                    uri: "/v1/log?from=\(from)&limit=1000", method: .get, headers: operatorHeaders)
                let events = try #require(try response.json["events"]?.arrayValue)
                if events.isEmpty { break }
                pages.append(events)
                from = Int(try #require(try response.json["next_from"]?.integerValue))
            }
            #expect(Array(pages.joined()) == written.map(\.json), "every event once, in order")
            let sizes = written.map(\.event.canonicalBytes.count)
            var start = 0
            for page in pages.dropLast() {
                let bytes = sizes[start..<start + page.count].reduce(0, +)
                #expect(bytes <= 4 << 20)
                #expect(bytes + sizes[start + page.count] > 4 << 20, "the page took as many as fit")
                start += page.count
            }
            #expect(pages.count == 2)
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

    @Test("a connection that stalls mid-request is closed at the idle time-out")
    func stalledConnection() async throws {
        let fixture = try ServerFixture(idleTimeout: .seconds(1))
        try await fixture.application.test(.live) { client in
            let port = try #require(client.port)
            // Half a request, then silence, as a slow or hostile client would.
            let closedByServer = try await RawSocket.onThread {
                try RawSocket.stalls(port: port, sending: "GET /health HTTP/1.1\r\nHost: x\r\n")
            }
            // Without the time-out the socket would still be open when its 10-second receive limit ends.
            #expect(closedByServer, "the server closed the stalled connection")
            let answer = try await RawSocket.onThread {
                try RawSocket.exchange(port: port, sending: "GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            }
            #expect(answer.hasPrefix("HTTP/1.1 200"), "a client that completes its request is served: \(answer.prefix(80))")
        }
    }
}

/// A plain TCP connection to the server on loopback, for clients no HTTP library would play.
enum RawSocket {
    /// Runs blocking socket work on a thread of its own: on the two threads of a two-core
    /// machine's concurrency pool it would starve the very server it talks to.
    static func onThread<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread { continuation.resume(with: Result { try work() }) }
        }
    }

    /// Connects, sends `text`, then waits (up to 10 s) without sending more; returns whether the
    /// server closed the connection.
    static func stalls(port: Int, sending text: String) throws -> Bool {
        let descriptor = try connected(port: port, text: text)
        defer { close(descriptor) }
        var buffer = [UInt8](repeating: 0, count: 1024)
        while true {
            let received = recv(descriptor, &buffer, buffer.count, 0)
            if received == 0 { return true }  // orderly close by the server
            if received < 0 { return errno == ECONNRESET }  // time-out (EAGAIN) means still open
        }
    }

    /// Connects, sends `head`, then `body` one byte every `interval`; returns whether the server
    /// closed the connection before the whole body was sent (and the first bytes it answered).
    static func trickles(port: Int, head: String, body: String, interval: Duration) throws -> (closed: Bool, answer: String) {
        let descriptor = try connected(port: port, text: head)
        defer { close(descriptor) }
        for byte in body.utf8 {
            var one = byte
            if send(descriptor, &one, 1, noSignal) != 1 { return (true, "") }
            var probe = [UInt8](repeating: 0, count: 256)
            let received = recv(descriptor, &probe, probe.count, Int32(MSG_DONTWAIT))
            if received == 0 { return (true, "") }
            if received > 0 { return (false, String(decoding: probe[0..<received], as: UTF8.self)) }
            Thread.sleep(forTimeInterval: Double(interval / .milliseconds(1)) / 1000)
        }
        var answer = [UInt8](repeating: 0, count: 4096)
        let received = recv(descriptor, &answer, answer.count, 0)
        return (received == 0, received > 0 ? String(decoding: answer[0..<received], as: UTF8.self) : "")
    }

    /// Connects, sends `text` and returns what the server sends first (its answer's head, for a
    /// stream), leaving the connection open until `descriptor` is closed.
    static func open(port: Int, sending text: String) throws -> (descriptor: Int32, answer: String) {
        let descriptor = try connected(port: port, text: text)
        var buffer = [UInt8](repeating: 0, count: 4096)
        let received = recv(descriptor, &buffer, buffer.count, 0)
        return (descriptor, received > 0 ? String(decoding: buffer[0..<received], as: UTF8.self) : "")
    }

    /// Connects, sends `text` and returns everything the server sends until it closes (or 10 s pass).
    static func exchange(port: Int, sending text: String) throws -> String {
        let descriptor = try connected(port: port, text: text)
        defer { close(descriptor) }
        var answer: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let received = recv(descriptor, &buffer, buffer.count, 0)
            if received <= 0 { return String(decoding: answer, as: UTF8.self) }
            answer += buffer[0..<received]
        }
    }

    /// A connected socket with a 10-second receive limit, `text` already sent.
    private static func connected(port: Int, text: String) throws -> Int32 {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw RawSocketError() }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard connected == 0 else {
            close(descriptor)
            throw RawSocketError()
        }
        var limit = timeval(tv_sec: 10, tv_usec: 0)
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))
        _ = text.withCString { send(descriptor, $0, strlen($0), 0) }
        return descriptor
    }
}

struct RawSocketError: Error {}

/// `send` flags that turn a write to a closed socket into an error instead of a SIGPIPE.
#if canImport(Glibc)
    private let noSignal = Int32(MSG_NOSIGNAL)
#else
    private let noSignal: Int32 = 0
#endif
