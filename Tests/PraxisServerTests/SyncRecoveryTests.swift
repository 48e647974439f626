import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import PraxisCommands
import PraxisProtocol
import PraxisServer
import PraxisStore
import PraxisSync
import Testing

/// The recovery paths of sync: backfill on joining, bootstrap from a too-old cursor, pushes from
/// clients on an older event schema, and live announcements.
@Suite("HTTP: sync recovery")
struct SyncRecoveryTests {
    @Test("joining a closed community sends a backfill order; the device fetches its history, then pulls on")
    func backfill() async throws {
        let fixture = try ServerFixture(maximumBodyBytes: 1 << 20)
        try await fixture.application.test(.live) { client in
            let api = CommandRouteTests.Client(client: client)
            let org = try await SyncRouteTests.Organisation(api)
            let created = try await api.send(
                .post, "/v1/communities", token: org.olga.token, ["name": "Circle", "kind": "practice", "visibility": "closed"])
            let circle = try #require(try created.json["ids"]?["community"]?.stringValue)
            var titles: [String] = []
            for index in 1...7 {
                let title = "Earlier \(index)"
                let posted = try await api.send(
                    .post, "/v1/communities/\(circle)/posts", token: org.olga.token, ["title": .string(title), "body": "…"])
                #expect(posted.status == .created)
                titles.append(title)
            }
            var phone = try await TestDevice.enroll(
                .ed25519, member: org.ada.id, client: client, serverKey: fixture.treeHeadKey.publicKey)
            try await phone.pullAll(client)
            #expect(phone.posts.values.allSatisfy { $0.community != circle }, "a closed community's posts stay out")
            _ = try await api.send(
                .post, "/v1/communities/\(circle)/invitations", token: org.olga.token, ["member": .string(org.ada.id)])
            #expect(try await api.send(.post, "/v1/communities/\(circle)/invitation/accept", token: org.ada.token).status == .ok)
            _ = try await api.send(
                .post, "/v1/communities/\(circle)/posts", token: org.olga.token, ["title": "Later", "body": "…"])
            let page = try await phone.send(client, .get, "/v1/sync/pull?cursor=\(try #require(phone.cursor))")
            #expect(try page.json["backfill"]?.arrayValue?.first?["community"]?.stringValue == circle)
            #expect(try page.json["events"]?.arrayValue?.isEmpty == true)
            try await phone.pullAll(client)
            let held = phone.posts.values.filter { $0.community == circle }.map(\.title).sorted()
            #expect(held == (titles + ["Later"]).sorted())
        }
    }

    @Test("a cursor beyond the horizon is cursor_too_old; the device bootstraps and keeps its unsent events")
    func bootstrap() async throws {
        let fixture = try ServerFixture(maximumBodyBytes: 1 << 20, syncHorizon: 5)
        try await fixture.application.test(.live) { client in
            let api = CommandRouteTests.Client(client: client)
            let org = try await SyncRouteTests.Organisation(api)
            var phone = try await TestDevice.enroll(
                .ed25519, member: org.ada.id, client: client, serverKey: fixture.treeHeadKey.publicKey)
            try await phone.pullAll(client)
            let kept = phone.post(in: org.guild, title: "Written offline")
            for index in 1...6 {
                _ = try await api.send(
                    .post, "/v1/communities/\(org.guild)/posts", token: org.olga.token,
                    ["title": .string("N\(index)"), "body": "…"])
            }
            let old = try await phone.send(client, .get, "/v1/sync/pull?cursor=\(try #require(phone.cursor))")
            #expect(old.status == .gone)
            #expect(old.errorCode == "cursor_too_old")
            // Bootstrap: drop what was pulled, keep the outbox, pull from scratch, then push.
            phone.posts = [:]
            phone.cursor = nil
            try await phone.pullAll(client)
            #expect(phone.posts.count == 6)
            #expect(phone.outbox.count == 1)
            #expect(try await phone.push(client).status == .ok)
            try await phone.pullAll(client)
            #expect(phone.posts[kept]?.title == "Written offline")
        }
    }

    @Test("a client on the older post_created v1 schema pushes; the server upcasts to decide and keeps the v1 bytes")
    func olderSchema() async throws {
        let fixture = try ServerFixture(maximumBodyBytes: 1 << 20)
        try await fixture.application.test(.live) { client in
            let org = try await SyncRouteTests.Organisation(CommandRouteTests.Client(client: client))
            var phone = try await TestDevice.enroll(
                .es256, member: org.ada.id, client: client, serverKey: fixture.treeHeadKey.publicKey)
            let post = UUID().wireString
            phone.logicalClock += 1
            let envelope = EventEnvelope(
                id: UUID(), stream: StreamName("post/\(post)")!, type: EventTypeName("post_created")!, schemaVersion: 1,
                payload: [
                    "post": .string(post), "community": .string(org.guild), "author": .string(org.ada.id),
                    "title": "From an old app", "body": "v1 had no kind", "mentions": [], "tags": [],
                ],
                metadata: EventMetadata(
                    actor: UUID(wireString: org.ada.id), device: UUID(wireString: phone.id), logicalClock: phone.logicalClock))
            let event = AuthoredEvent(envelope).signed(with: phone.key, keyID: phone.id)
            phone.outbox = [event]
            let answer = try await phone.push(client)
            #expect(try answer.json["results"]?.arrayValue?.first?["status"] == "accepted", "\(String(buffer: answer.body))")
            let stored = try await fixture.store.recordedEvents(ids: [envelope.id])
            #expect(stored[envelope.id]?.envelope.schemaVersion == 1)
            #expect(stored[envelope.id]?.event.canonicalBytes == event.canonicalBytes)
        }
    }

    @Test("a client that knows post_created only as v1 gets it downcast beside the signed event; unknown types as placeholders")
    func olderClientPulls() async throws {
        let fixture = try ServerFixture(maximumBodyBytes: 1 << 20)
        try await fixture.application.test(.live) { client in
            let api = CommandRouteTests.Client(client: client)
            let org = try await SyncRouteTests.Organisation(api)
            let shaken = try await client.execute(
                uri: "/v1/sync/handshake", method: .post, headers: [.contentType: "application/json"],
                body: ByteBuffer(
                    bytes: CanonicalJSON.encode([
                        "protocols": ["praxis-sync/1"], "event_schemas": ["post_created": [1], "comment_added": [1]],
                    ])))
            let schemas = try #require(try shaken.json["pull_schemas"]?.stringValue)
            #expect(schemas == "post_created:1")
            let posted = try await api.send(
                .post, "/v1/communities/\(org.guild)/posts", token: org.olga.token,
                ["kind": "question", "title": "New kind", "body": "…"])
            let post = try #require(try posted.json["ids"]?["post"]?.stringValue)
            _ = try await api.send(.post, "/v1/posts/\(post)/comments", token: org.ada.token, ["body": "An answer"])
            var phone = try await TestDevice.enroll(
                .ed25519, member: org.ada.id, client: client, serverKey: fixture.treeHeadKey.publicKey)
            let page = try await phone.send(client, .get, "/v1/sync/pull?limit=1000&schemas=\(schemas),comment_added:0")
            #expect(page.status == .ok, "\(String(buffer: page.body))")
            let items = try #require(try page.json["events"]?.arrayValue)
            let created = try #require(
                items.first { $0["event"]?["payload"]?["post"]?.stringValue == post && $0["event"]?["type"] == "post_created" })
            #expect(created["downcast"]?["schema_version"] == 1)
            #expect(created["downcast"]?["payload"]?["kind"] == nil)
            #expect(created["downcast"]?["payload"]?["title"] == "New kind")
            #expect(try AuthoredEvent(json: try #require(created["event"])).envelope.payload["kind"] == "question")
            let placeholder = try #require(items.first { $0["placeholder"]?["type"] == "comment_added" })
            #expect(placeholder["event"] == nil)
            #expect(placeholder["placeholder"]?["hash"]?.stringValue?.count == 43)
            let refused = try await phone.send(client, .get, "/v1/sync/pull?schemas=post_created")
            #expect(refused.errorCode == "invalid_parameter")
        }
    }

    @Test("live announcements come for events the member may see, not for others")
    func live() async throws {
        let fixture = try ServerFixture(maximumBodyBytes: 1 << 20)
        try await fixture.application.test(.live) { client in
            let api = CommandRouteTests.Client(client: client)
            let org = try await SyncRouteTests.Organisation(api)
            let ben: (id: String, token: String) = try await api.member("Ben")
            var phone = try await TestDevice.enroll(
                .ed25519, member: ben.id, client: client, serverKey: fixture.treeHeadKey.publicKey)
            let sync = SyncService(
                store: fixture.store, commands: CommandService(store: fixture.store), serverKey: fixture.treeHeadKey)
            let device = try await sync.authenticate(try phone.signedPull())
            let announced = Announcements()
            let start = try await fixture.store.head()
            let listener = Task {
                try await sync.announce(to: device, from: start) { head in
                    await announced.add(head.value)
                } keepAlive: {
                }
            }
            defer { listener.cancel() }
            // The council is secret and Ben is not in it: no announcement.
            _ = try await api.send(
                .post, "/v1/communities/\(org.council)/posts", token: org.olga.token, ["title": "Secret", "body": "…"])
            try await Task.sleep(for: .milliseconds(300))
            #expect(await announced.heads.isEmpty)
            let open = try await api.send(
                .post, "/v1/communities/\(org.guild)/posts", token: org.olga.token, ["title": "Open", "body": "…"])
            let position = try #require(try open.json["events"]?.arrayValue?.first?["position"]?.integerValue)
            for _ in 0..<50 where await announced.heads.isEmpty { try await Task.sleep(for: .milliseconds(20)) }
            #expect(await announced.heads == [position])
        }
    }

    actor Announcements {
        var heads: [Int64] = []
        func add(_ head: Int64) { heads.append(head) }
    }
}

extension TestDevice {
    /// A signed pull request as the authenticator sees it.
    mutating func signedPull() throws -> SignedRequest {
        let nonce = Base64URL.encode((0..<16).map { _ in UInt8.random(in: 0...255, using: &random) })
        let signature = RequestSignature(method: "GET", path: "/v1/sync/pull", body: [], device: id, timestamp: now, nonce: nonce)
        return SignedRequest(
            method: "GET", path: "/v1/sync/pull", body: [],
            headers: Dictionary(uniqueKeysWithValues: signature.headers(signedWith: key).map { ($0.name, $0.value) }))
    }
}
