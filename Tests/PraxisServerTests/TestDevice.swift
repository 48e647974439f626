import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import PraxisProtocol
import Testing

/// A mobile client as a test drives it: a device key, an outbox of signed events written offline,
/// a pull cursor, and a local replica of the posts and comments it was sent.
struct TestDevice {
    struct Post: Equatable {
        var community: String
        var title: String
        var authoredBy = ""
        var comments: Set<String> = []
    }

    let id: String
    let member: String
    let key: DeviceSigningKey
    let serverKey: [UInt8]
    /// How far this device's wall clock is off, in milliseconds.
    var clockOffset: Int64 = 0
    var logicalClock: Int64 = 0
    var nextBatch: Int64 = 1
    var outbox: [AuthoredEvent] = []
    var cursor: String?
    var posts: [String: Post] = [:]
    /// Receipts the server gave: event id → position.
    var receipts: [String: Int64] = [:]
    /// Every event this device was sent: position and stream (twice when a page was delivered twice).
    var received: [(position: Int64, stream: String)] = []
    /// The positions of every page the server sent, once per page: the server never sends one twice.
    var delivered: [Int64] = []
    /// Rejected events: id → code.
    var rejections: [String: String] = [:]
    var random = SystemRandomNumberGenerator()

    var now: Timestamp { Timestamp(millisecondsSinceEpoch: Timestamp(Date()).millisecondsSinceEpoch + clockOffset) }

    /// Enrolls a new device with an operator-issued code.
    static func enroll(
        _ algorithm: DeviceKeyAlgorithm, member: String, client: any TestClientProtocol, serverKey: [UInt8]
    ) async throws -> TestDevice {
        let invited = try await client.execute(
            uri: "/v1/operator/devices/invitations", method: .post,
            headers: operatorHeaders + [.contentType: "application/json"],
            body: ByteBuffer(bytes: CanonicalJSON.encode(["member": .string(member)])))
        #expect(invited.status == .created)
        let code = try #require(try invited.json["code"]?.stringValue)
        let key = DeviceSigningKey(algorithm)
        let id = UUID().wireString
        let enrolled = try await client.execute(
            uri: "/v1/sync/enroll", method: .post, headers: [.contentType: "application/json"],
            body: ByteBuffer(
                bytes: CanonicalJSON.encode([
                    "code": .string(code), "device": .string(id), "algorithm": .string(algorithm.rawValue),
                    "public_key": .string(Base64URL.encode(key.publicKey)), "name": "test phone",
                ])))
        #expect(enrolled.status == .created, "\(String(buffer: enrolled.body))")
        #expect(try enrolled.json["member"]?.stringValue == member)
        return TestDevice(id: id, member: member, key: key, serverKey: serverKey)
    }

    // MARK: - Writing offline

    /// Signs an event for the outbox.
    mutating func write(_ type: String, stream: String, _ payload: [String: JSONValue]) -> AuthoredEvent {
        logicalClock += 1
        let envelope = EventEnvelope(
            id: UUID.version7(at: now, using: &random), stream: StreamName(stream)!, type: EventTypeName(type)!,
            schemaVersion: type == "post_created" ? 2 : 1, payload: payload,
            metadata: EventMetadata(
                actor: UUID(wireString: member), device: UUID(wireString: id), clientTime: now, logicalClock: logicalClock))
        let event = AuthoredEvent(envelope).signed(with: key, keyID: id)
        outbox.append(event)
        return event
    }

    mutating func post(in community: String, title: String) -> String {
        let post = UUID.version7(at: now, using: &random).wireString
        _ = write(
            "post_created", stream: "post/\(post)",
            [
                "post": .string(post), "community": .string(community), "author": .string(member), "kind": "discussion",
                "title": .string(title), "body": .string("Body of \(title)"), "cites": [], "mentions": [], "tags": [],
            ])
        return post
    }

    mutating func comment(on post: String, _ body: String) -> String {
        let comment = UUID.version7(at: now, using: &random).wireString
        _ = write(
            "comment_added", stream: "post/\(post)",
            [
                "post": .string(post), "comment": .string(comment), "author": .string(member), "body": .string(body),
                "mentions": [],
            ])
        return comment
    }

    mutating func edit(_ post: String, title: String) {
        _ = write(
            "post_edited", stream: "post/\(post)",
            ["post": .string(post), "title": .string(title), "body": .string("Body of \(title)"), "mentions": [], "tags": []])
    }

    mutating func delete(_ post: String) {
        _ = write("post_deleted", stream: "post/\(post)", ["post": .string(post), "deleted_by": .string(member)])
    }

    // MARK: - Talking to the server

    /// A request signed with this device's key.
    mutating func send(
        _ client: any TestClientProtocol, _ method: HTTPRequest.Method, _ uri: String, body: [UInt8] = [],
        nonce: String? = nil
    ) async throws -> TestResponse {
        let nonce = nonce ?? Base64URL.encode((0..<16).map { _ in UInt8.random(in: 0...255, using: &random) })
        let signature = RequestSignature(
            method: method.rawValue, path: uri, body: body, device: id, timestamp: now, nonce: nonce)
        var headers: HTTPFields = [:]
        for (name, value) in signature.headers(signedWith: key) { headers[HTTPField.Name(name)!] = value }
        if !body.isEmpty { headers[.contentType] = "application/json" }
        return try await client.execute(
            uri: uri, method: method, headers: headers, body: body.isEmpty ? nil : ByteBuffer(bytes: body))
    }

    /// The outbox as the next batch (not yet numbered past).
    func batch(number: Int64? = nil, events: [AuthoredEvent]? = nil) -> PushBatch {
        PushBatch(device: id, number: number ?? nextBatch, lastCursor: cursor, events: events ?? outbox)
    }

    /// Applies a push answer: accepted and duplicate events leave the outbox; rejected ones are
    /// dropped unless they wait for an event still in the outbox (their post).
    mutating func settle(_ answer: JSONValue, sent: [AuthoredEvent]) throws {
        #expect(SignedObject.problem(with: answer, publicKey: serverKey) == nil)
        let results = try #require(answer["results"]?.arrayValue)
        #expect(results.count == sent.count)
        var keep: [AuthoredEvent] = []
        for (event, result) in zip(sent, results) {
            #expect(result["id"]?.stringValue == event.envelope.id.wireString)
            switch result["status"]?.stringValue {
            case "accepted", "duplicate":
                let receipt = try #require(result["receipt"])
                #expect(SignedObject.problem(with: receipt, publicKey: serverKey) == nil)
                #expect(receipt["event_hash"]?.stringValue == event.hash.base64URL)
                receipts[event.envelope.id.wireString] = try #require(result["position"]?.integerValue)
            default:
                rejections[event.envelope.id.wireString] = result["code"]?.stringValue ?? "?"
                let waitsForOutbox = outbox.contains {
                    $0.envelope.stream == event.envelope.stream && $0.envelope.type.rawValue == "post_created"
                        && $0.envelope.id != event.envelope.id && !sent.contains($0)
                }
                if waitsForOutbox { keep.append(event) }
            }
        }
        outbox = outbox.filter { !sent.contains($0) } + keep
    }

    /// Pushes the whole outbox as one batch.
    mutating func push(_ client: any TestClientProtocol) async throws -> TestResponse {
        let sent = outbox
        let response = try await send(client, .post, "/v1/sync/push", body: batch().body)
        if response.status == .ok {
            nextBatch += 1
            try settle(try response.json, sent: sent)
        }
        return response
    }

    /// Pulls until the server has nothing more, following backfill orders.
    mutating func pullAll(_ client: any TestClientProtocol, duplicateDelivery: Bool = false) async throws {
        for _ in 0..<1000 {
            let query = cursor.map { "?limit=7&cursor=\($0)" } ?? "?limit=7"
            let response = try await send(client, .get, "/v1/sync/pull" + query)
            #expect(response.status == .ok, "\(String(buffer: response.body))")
            let page = try response.json
            #expect(SignedObject.problem(with: page, publicKey: serverKey) == nil)
            delivered += (page["events"]?.arrayValue ?? []).compactMap { $0["position"]?.integerValue }
            for _ in 0..<(duplicateDelivery ? 2 : 1) { try apply(page) }
            for order in page["backfill"]?.arrayValue ?? [] {
                try await backfill(client, order)
            }
            cursor = try #require(page["next_cursor"]?.stringValue)
            if page["has_more"] == false { return }
        }
        Issue.record("pull did not finish")
    }

    private mutating func backfill(_ client: any TestClientProtocol, _ order: JSONValue) async throws {
        let community = try #require(order["community"]?.stringValue)
        let through = try #require(order["through"]?.integerValue)
        var after: Int64 = 0
        while true {
            let response = try await send(
                client, .get, "/v1/sync/backfill?community=\(community)&through=\(through)&after=\(after)&limit=5")
            #expect(response.status == .ok, "\(String(buffer: response.body))")
            let page = try response.json
            #expect(SignedObject.problem(with: page, publicKey: serverKey) == nil)
            delivered += (page["events"]?.arrayValue ?? []).compactMap { $0["position"]?.integerValue }
            try apply(page)
            after = try #require(page["next_after"]?.integerValue)
            if page["has_more"] == false { return }
        }
    }

    /// Applies a page's purge orders, then its events; applying a page twice changes nothing.
    mutating func apply(_ page: JSONValue) throws {
        for order in page["purge"]?.arrayValue ?? [] {
            switch order["kind"]?.stringValue {
            case "community": posts = posts.filter { $0.value.community != order["community"]?.stringValue }
            case "post": posts[order["post"]?.stringValue ?? ""] = nil
            case "comment":
                if let post = order["post"]?.stringValue, let comment = order["comment"]?.stringValue {
                    posts[post]?.comments.remove(comment)
                }
            default: Issue.record("unknown purge order \(order)")
            }
        }
        for item in page["events"]?.arrayValue ?? [] {
            let event = try AuthoredEvent(json: try #require(item["event"]))
            received.append((try #require(item["position"]?.integerValue), event.envelope.stream.rawValue))
            let payload = event.envelope.payload
            let post = payload["post"]?.stringValue ?? ""
            switch event.envelope.type.rawValue {
            case "post_created":
                posts[post] = Post(
                    community: payload["community"]?.stringValue ?? "", title: payload["title"]?.stringValue ?? "",
                    authoredBy: payload["author"]?.stringValue ?? "")
            case "post_edited": posts[post]?.title = payload["title"]?.stringValue ?? ""
            case "post_deleted": posts[post] = nil
            case "comment_added": posts[post]?.comments.insert(payload["comment"]?.stringValue ?? "")
            case "comment_deleted": posts[post]?.comments.remove(payload["comment"]?.stringValue ?? "")
            default: break
            }
        }
    }
}
