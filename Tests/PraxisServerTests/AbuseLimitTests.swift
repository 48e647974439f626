import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import PraxisProtocol
import PraxisServer
import PraxisStore
import Testing

/// Rate limits, the bound on live streams and the request deadline, over real HTTP.
@Suite("Abuse limits")
struct AbuseLimitTests {
    @Test("a member past the burst gets 429 rate_limited with Retry-After; other members are not held back")
    func memberRateLimit() async throws {
        // One request refills in 100 s: however slow the machine, none refills during the test,
        // whose expectations would otherwise depend on how long its requests took.
        let fixture = try ServerFixture(rateLimit: RateLimit(requestsPerSecond: 0.01, burst: 3))
        try await fixture.application.test(.live) { client in
            let api = CommandRouteTests.Client(client: client)
            let ada = try await api.member("Ada")
            let grace = try await api.member("Grace")
            // (The read models are not running here; what matters is that the requests get through.)
            for _ in 0..<3 { #expect(try await api.send(.get, "/v1/me/feed", token: ada.1).status != .tooManyRequests) }
            let refused = try await api.send(.get, "/v1/me/feed", token: ada.1)
            #expect(refused.status == .tooManyRequests)
            #expect(refused.errorCode == "rate_limited")
            // One request refills in 100 s at 0.01/s, less the time since the first three.
            let retryAfter = try #require(refused.headers[.retryAfter].flatMap { Int($0) })
            #expect((50...100).contains(retryAfter))
            #expect(try await api.send(.get, "/v1/me/feed", token: grace.1).status != .tooManyRequests)
            // A write is held back too, and writes nothing.
            let head = try await fixture.store.head()
            let post = try await api.send(.post, "/v1/communities", token: ada.1, ["name": "Spam", "kind": "practice"])
            #expect(post.status == .tooManyRequests)
            #expect(try await fixture.store.head() == head)
        }
    }

    @Test("a device past the burst gets 429 on signed sync requests; the limit is its own, not its member's")
    func deviceRateLimit() async throws {
        let fixture = try ServerFixture(maximumBodyBytes: 1 << 20, rateLimit: RateLimit(requestsPerSecond: 0.01, burst: 2))
        try await fixture.application.test(.live) { client in
            let api = CommandRouteTests.Client(client: client)
            let ada = try await api.member("Ada")
            var phone = try await TestDevice.enroll(
                .ed25519, member: ada.0, client: client, serverKey: fixture.treeHeadKey.publicKey)
            var tablet = try await TestDevice.enroll(
                .ed25519, member: ada.0, client: client, serverKey: fixture.treeHeadKey.publicKey)
            for _ in 0..<2 { #expect(try await phone.send(client, .get, "/v1/sync/pull").status == .ok) }
            let refused = try await phone.send(client, .get, "/v1/sync/pull")
            #expect(refused.status == .tooManyRequests)
            #expect(refused.errorCode == "rate_limited")
            #expect(refused.headers[.retryAfter] != nil)
            #expect(try await tablet.send(client, .get, "/v1/sync/pull").status == .ok)
            // The member's own allowance is untouched by her devices.
            #expect(try await api.send(.get, "/v1/me/feed", token: ada.1).status != .tooManyRequests)
        }
    }

    @Test("open live streams are bounded in all and per device; past the bound, 503 too_many_live_connections")
    func liveStreamBound() async throws {
        let fixture = try ServerFixture(maximumLiveConnections: 3)
        try await fixture.application.test(.live) { client in
            let port = try #require(client.port)
            let api = CommandRouteTests.Client(client: client)
            let ada = try await api.member("Ada")
            let key = fixture.treeHeadKey.publicKey
            let phone = try await TestDevice.enroll(.ed25519, member: ada.0, client: client, serverKey: key)
            let tablet = try await TestDevice.enroll(.ed25519, member: ada.0, client: client, serverKey: key)
            let laptop = try await TestDevice.enroll(.ed25519, member: ada.0, client: client, serverKey: key)
            var open: [Int32] = []
            defer { for descriptor in open { close(descriptor) } }
            func stream(_ device: TestDevice) async throws -> String {
                let request = device.rawRequest("GET", "/v1/sync/live")
                let (descriptor, answer) = try await RawSocket.onThread { try RawSocket.open(port: port, sending: request) }
                open.append(descriptor)
                return answer
            }
            #expect(try await stream(phone).hasPrefix("HTTP/1.1 200"))
            #expect(try await stream(phone).hasPrefix("HTTP/1.1 200"))
            let third = try await stream(phone)
            #expect(third.hasPrefix("HTTP/1.1 503"), "a device holds at most two: \(third.prefix(60))")
            #expect(third.contains("too_many_live_connections"))
            #expect(try await stream(tablet).hasPrefix("HTTP/1.1 200"))
            let overall = try await stream(laptop)
            #expect(overall.hasPrefix("HTTP/1.1 503"), "three in all: \(overall.prefix(60))")
            #expect(overall.lowercased().contains("retry-after: 5"))
        }
    }

    @Test("a client that trickles its body a byte at a time is cut off at the request deadline")
    func trickledBody() async throws {
        let fixture = try ServerFixture(idleTimeout: .seconds(30), requestTimeout: .seconds(1))
        try await fixture.application.test(.live) { client in
            let port = try #require(client.port)
            let body = String(repeating: "x", count: 40)
            let head =
                "POST /v1/sync/handshake HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: \(body.utf8.count)\r\n\r\n"
            // 40 bytes at one per 200 ms would take 8 s; the idle time-out (30 s) never fires.
            let trickled = try await RawSocket.onThread {
                try RawSocket.trickles(port: port, head: head, body: body, interval: .milliseconds(200))
            }
            #expect(trickled.closed, "the server closed the connection: \(trickled.answer.prefix(80))")
            // A request sent at once on a new connection is answered as usual.
            let answer = try await RawSocket.onThread {
                try RawSocket.exchange(port: port, sending: "GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            }
            #expect(answer.hasPrefix("HTTP/1.1 200"))
        }
    }
}

extension AbuseLimitTests {
    @Test("headers over the limit get 431 headers_too_large, and broken HTTP 400 malformed_request, both typed")
    func malformedRequests() async throws {
        let fixture = try ServerFixture()
        try await fixture.application.test(.live) { client in
            let port = try #require(client.port)
            let oversized = "GET /health HTTP/1.1\r\nHost: x\r\nX-Big: \(String(repeating: "a", count: 100_000))\r\n\r\n"
            let tooLarge = try await RawSocket.onThread { try RawSocket.exchange(port: port, sending: oversized) }
            #expect(tooLarge.hasPrefix("HTTP/1.1 431"), "\(tooLarge.prefix(80))")
            #expect(tooLarge.contains(#"{"error":{"code":"headers_too_large""#))
            let broken = try await RawSocket.onThread {
                try RawSocket.exchange(port: port, sending: "GET /health HTTP/1.1\r\nHost x\r\n\r\n")
            }
            #expect(broken.hasPrefix("HTTP/1.1 400"), "\(broken.prefix(80))")
            #expect(broken.contains(#"{"error":{"code":"malformed_request""#))
        }
    }
}

extension TestDevice {
    /// A signed request as raw HTTP/1.1 text, for tests that hold the socket themselves.
    func rawRequest(_ method: String, _ path: String) -> String {
        let nonce = Base64URL.encode((0..<16).map { _ in UInt8.random(in: 0...255) })
        let signature = RequestSignature(method: method, path: path, body: [], device: id, timestamp: now, nonce: nonce)
        let headers = signature.headers(signedWith: key).map { "\($0.name): \($0.value)\r\n" }.joined()
        return "\(method) \(path) HTTP/1.1\r\nHost: x\r\n\(headers)\r\n"
    }
}
