import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import PraxisProtocol
import PraxisServer
import PraxisStore
import Testing

/// Delta sync over real HTTP: enrollment, signed push, pull, and every refusal.
@Suite("HTTP: sync")
struct SyncRouteTests {
    /// Olga owns an open guild and a secret council; Ada is in both.
    struct Organisation {
        let olga: (id: String, token: String)
        let ada: (id: String, token: String)
        let guild: String
        let council: String

        init(_ api: CommandRouteTests.Client) async throws {
            olga = try await api.member("Olga")
            ada = try await api.member("Ada")
            let guild = try await api.send(
                .post, "/v1/communities", token: olga.token, ["name": "Guild", "kind": "practice", "visibility": "open"])
            self.guild = try #require(try guild.json["ids"]?["community"]?.stringValue)
            let council = try await api.send(
                .post, "/v1/communities", token: olga.token, ["name": "Council", "kind": "practice", "visibility": "secret"])
            self.council = try #require(try council.json["ids"]?["community"]?.stringValue)
            #expect(try await api.send(.post, "/v1/communities/\(self.guild)/join", token: ada.token).status == .ok)
            let invited = try await api.send(
                .post, "/v1/communities/\(self.council)/invitations", token: olga.token, ["member": .string(ada.id)])
            #expect(invited.status == .ok)
            let accepted = try await api.send(.post, "/v1/communities/\(self.council)/invitation/accept", token: ada.token)
            #expect(accepted.status == .ok)
        }
    }

    @Test("a post and a comment on it, pushed offline in one batch, are accepted with receipts and pulled back signed")
    func pushAndPull() async throws {
        let fixture = try ServerFixture(maximumBodyBytes: 1 << 20)
        try await fixture.application.test(.live) { client in
            let org = try await Organisation(CommandRouteTests.Client(client: client))
            var phone = try await TestDevice.enroll(
                .es256, member: org.ada.id, client: client, serverKey: fixture.treeHeadKey.publicKey)
            let post = phone.post(in: org.guild, title: "Offline notes")
            _ = phone.comment(on: post, "And a comment written on the train")
            let sent = phone.outbox
            let pushed = try await phone.push(client)
            #expect(pushed.status == .ok, "\(String(buffer: pushed.body))")
            #expect(try pushed.json["results"]?.arrayValue?.map { $0["status"] } == ["accepted", "accepted"])
            #expect(phone.outbox.isEmpty)
            // The log keeps the device's signed bytes.
            let stored = try await fixture.store.recordedEvents(ids: sent.map(\.envelope.id))
            for event in sent {
                #expect(stored[event.envelope.id]?.event.canonicalBytes == event.canonicalBytes)
                #expect(stored[event.envelope.id]?.event.signature == event.signature)
            }
            try await phone.pullAll(client)
            #expect(phone.posts[post]?.title == "Offline notes")
            #expect(phone.posts[post]?.comments.count == 1)
        }
    }

    @Test("a batch re-sent after a lost answer gets the same answers and writes nothing")
    func resentBatch() async throws {
        let fixture = try ServerFixture(maximumBodyBytes: 1 << 20)
        try await fixture.application.test(.live) { client in
            let org = try await Organisation(CommandRouteTests.Client(client: client))
            var phone = try await TestDevice.enroll(
                .ed25519, member: org.ada.id, client: client, serverKey: fixture.treeHeadKey.publicKey)
            let post = phone.post(in: org.guild, title: "Once")
            _ = phone.comment(on: UUID().wireString, "on a post that does not exist")
            let body = phone.batch().body
            let first = try await phone.send(client, .post, "/v1/sync/push", body: body)
            let head = try await fixture.store.head()
            let again = try await phone.send(client, .post, "/v1/sync/push", body: body)
            #expect(first.status == .ok)
            #expect(try again.json == (try first.json))
            #expect(try await fixture.store.head() == head)
            #expect(try first.json["results"]?.arrayValue?[1]["status"] == "rejected")
            #expect(try first.json["results"]?.arrayValue?[1]["code"] == "not_found")
            // The accepted event, pushed again in a new batch, is a duplicate with its first position.
            let events = phone.outbox.filter { $0.envelope.stream.rawValue == "post/\(post)" }
            let later = try await phone.send(client, .post, "/v1/sync/push", body: phone.batch(number: 2, events: events).body)
            #expect(try later.json["results"]?.arrayValue?[0]["status"] == "duplicate")
            #expect(
                try later.json["results"]?.arrayValue?[0]["position"] == (try first.json["results"]?.arrayValue?[0]["position"]))
            // A batch number used for other events is a conflict.
            let reused = try await phone.send(
                client, .post, "/v1/sync/push", body: phone.batch(number: 1, events: events).body)
            #expect(reused.status == .conflict)
            #expect(reused.errorCode == "batch_conflict")
        }
    }

    @Test("copies of a batch sent at the same time get the same answers; the batch is decided and recorded once")
    func concurrentCopies() async throws {
        let fixture = try ServerFixture(maximumBodyBytes: 1 << 20)
        try await fixture.application.test(.live) { client in
            let org = try await Organisation(CommandRouteTests.Client(client: client))
            var phone = try await TestDevice.enroll(
                .ed25519, member: org.ada.id, client: client, serverKey: fixture.treeHeadKey.publicKey)
            for number in Int64(1)...24 {
                phone.outbox = []
                for index in 0..<3 { _ = phone.post(in: org.guild, title: "Batch \(number), post \(index)") }
                let body = phone.batch(number: number).body
                // Three copies at once, as a client that timed out and resent would send them.
                let answers = try await withThrowingTaskGroup(of: JSONValue.self) { group in
                    for _ in 0..<3 {
                        let sender = phone
                        group.addTask {
                            var copy = sender
                            let answer = try await copy.send(client, .post, "/v1/sync/push", body: body)
                            #expect(answer.status == .ok, "\(String(buffer: answer.body))")
                            return try answer.json
                        }
                    }
                    return try await group.reduce(into: []) { $0.append($1) }
                }
                for answer in answers {
                    let statuses = answer["results"]?.arrayValue?.compactMap { $0["status"]?.stringValue } ?? []
                    #expect(statuses == ["accepted", "accepted", "accepted"], "batch \(number): \(statuses)")
                }
            }
            // One record per batch, and every post once.
            let events = try await fixture.store.read(from: LogPosition(1), limit: 10_000)
            let records = events.filter { $0.event.envelope.type.rawValue == "sync_batch_recorded" }
            #expect(records.count == 24)
            #expect(events.filter { $0.event.envelope.type.rawValue == "post_created" }.count == 72)
        }
    }

    @Test("bad input gets its typed error and writes nothing")
    func refusals() async throws {
        let fixture = try ServerFixture(maximumBodyBytes: 1 << 21)
        try await fixture.application.test(.live) { client in
            let org = try await Organisation(CommandRouteTests.Client(client: client))
            let key = fixture.treeHeadKey.publicKey
            var phone = try await TestDevice.enroll(.ed25519, member: org.ada.id, client: client, serverKey: key)
            var stranger = TestDevice(id: UUID().wireString, member: org.ada.id, key: DeviceSigningKey(.ed25519), serverKey: key)
            _ = phone.post(in: org.guild, title: "Valid")
            let valid = phone.batch().body
            let head = try await fixture.store.head()

            func expect(_ response: TestResponse, _ status: HTTPResponse.Status, _ code: String) async throws {
                #expect(response.status == status, "\(code): \(String(buffer: response.body))")
                #expect(response.errorCode == code)
                #expect(try await fixture.store.head() == head, "\(code) wrote to the log")
            }

            // Unknown key: a device nobody enrolled.
            _ = stranger.post(in: org.guild, title: "Who am I")
            try await expect(try await stranger.push(client), .unauthorized, "unknown_device")
            // Bad request signature: the body changed after signing.
            var headers: HTTPFields = [:]
            let signature = RequestSignature(
                method: "POST", path: "/v1/sync/push", body: valid, device: phone.id, timestamp: phone.now,
                nonce: Base64URL.encode(Array(repeating: 7, count: 16)))
            for (name, value) in signature.headers(signedWith: phone.key) { headers[HTTPField.Name(name)!] = value }
            headers[.contentType] = "application/json"
            let tampered = try await client.execute(
                uri: "/v1/sync/push", method: .post, headers: headers, body: ByteBuffer(bytes: valid + [0x20]))
            try await expect(tampered, .unauthorized, "bad_signature")
            // Replayed request: the same nonce twice.
            let nonce = Base64URL.encode(Array(repeating: 9, count: 16))
            #expect(try await phone.send(client, .get, "/v1/sync/pull", nonce: nonce).status == .ok)
            try await expect(try await phone.send(client, .get, "/v1/sync/pull", nonce: nonce), .unauthorized, "replayed_request")
            // Stale and future timestamps.
            phone.clockOffset = -10 * 60 * 1000
            let stale = try await phone.send(client, .post, "/v1/sync/push", body: valid)
            try await expect(stale, .unauthorized, "stale_request")
            #expect(try stale.json["error"]?["server_time"]?.stringValue != nil)
            phone.clockOffset = 10 * 60 * 1000
            try await expect(try await phone.send(client, .post, "/v1/sync/push", body: valid), .unauthorized, "stale_request")
            phone.clockOffset = 0
            // Wrong protocol version.
            var old = phone.batch()
            old.protocolVersion = "praxis-sync/0"
            try await expect(
                try await phone.send(client, .post, "/v1/sync/push", body: old.body), .badRequest, "version_not_supported")
            // Malformed JSON, and JSON that is not its own canonical form.
            try await expect(
                try await phone.send(client, .post, "/v1/sync/push", body: Array("{\"batch\":".utf8)), .badRequest,
                "invalid_json")
            try await expect(
                try await phone.send(client, .post, "/v1/sync/push", body: Array(" ".utf8) + valid), .badRequest,
                "non_canonical")
            // An event signed by another key than the device's.
            let forged = phone.outbox.map { $0.signed(with: DeviceSigningKey(.ed25519), keyID: phone.id) }
            try await expect(
                try await phone.send(client, .post, "/v1/sync/push", body: phone.batch(events: forged).body),
                .unauthorized, "bad_signature")
            // Too many events.
            for index in 0..<SyncProtocol.maximumEventsPerBatch { _ = phone.post(in: org.guild, title: "Flood \(index)") }
            try await expect(
                try await phone.send(client, .post, "/v1/sync/push", body: phone.batch().body), .contentTooLarge,
                "batch_too_large")
            // A revoked device is refused from its revocation on.
            let revoked = try await client.execute(
                uri: "/v1/operator/devices/\(phone.id)/revoke", method: .post, headers: operatorHeaders)
            #expect(revoked.status == .ok)
            let afterRevocation = try await fixture.store.head()
            let refused = try await phone.send(client, .post, "/v1/sync/push", body: valid)
            #expect(refused.status == .unauthorized)
            #expect(refused.errorCode == "device_revoked")
            #expect(try await fixture.store.head() == afterRevocation)
        }
    }

    @Test("an enrollment body names the member that is missing or of the wrong type, and uses no code")
    func enrollmentFields() async throws {
        let fixture = try ServerFixture()
        try await fixture.application.test(.router) { client in
            let api = CommandRouteTests.Client(client: client)
            let (ada, _) = try await api.member("Ada")
            let invited = try await api.send(
                .post, "/v1/operator/devices/invitations", token: ServerFixture.operatorToken, ["member": .string(ada)])
            let code = try #require(try invited.json["code"]?.stringValue)
            let valid: [String: JSONValue] = [
                "code": .string(code), "device": .string(UUID().wireString), "algorithm": "ed25519",
                "public_key": .string(Base64URL.encode(DeviceSigningKey(.ed25519).publicKey)), "name": "phone",
            ]
            let head = try await fixture.store.head()
            let cases: [(String, JSONValue?, String)] = [
                ("code", nil, "code is required"), ("code", 7, "code must be a string"),
                ("device", "phone-1", "device must be a UUID in lowercase hyphenated form"),
                ("device", nil, "device is required"), ("algorithm", "rsa", "algorithm must be ed25519 or es256"),
                ("public_key", false, "public_key must be a string"), ("name", 5, "name must be a string"),
                ("name", .null, "name must be a string"),
            ]
            for (field, value, message) in cases {
                var body = valid
                body[field] = value
                let refused = try await api.send(.post, "/v1/sync/enroll", token: nil, .object(body))
                #expect(refused.status == .badRequest, "\(field): \(String(buffer: refused.body))")
                #expect(refused.errorCode == "invalid_field")
                #expect(try refused.json["error"]?["field"]?.stringValue == field)
                #expect(try refused.json["error"]?["message"]?.stringValue == message)
            }
            #expect(try await fixture.store.head() == head, "no refused enrollment wrote to the log")
            let enrolled = try await api.send(.post, "/v1/sync/enroll", token: nil, .object(valid))
            #expect(enrolled.status == .created, "the code is still good: \(String(buffer: enrolled.body))")
        }
    }

    @Test("a handshake names the protocol it chooses, or the versions it supports")
    func handshake() async throws {
        let fixture = try ServerFixture()
        try await fixture.application.test(.live) { client in
            func shake(_ body: JSONValue) async throws -> TestResponse {
                try await client.execute(
                    uri: "/v1/sync/handshake", method: .post, headers: [.contentType: "application/json"],
                    body: ByteBuffer(bytes: CanonicalJSON.encode(body)))
            }
            let agreed = try await shake(["protocols": ["praxis-sync/9", "praxis-sync/1"]])
            #expect(try agreed.json["protocol"] == "praxis-sync/1")
            #expect(try agreed.json["event_schemas"]?["post_created"]?["push"] == [1, 2])
            #expect(try agreed.json["server_key"]?["public_key"]?.stringValue == Base64URL.encode(fixture.treeHeadKey.publicKey))
            let refused = try await shake(["protocols": ["praxis-sync/9"]])
            #expect(refused.status == .badRequest)
            #expect(refused.errorCode == "version_not_supported")
            #expect(try refused.json["error"]?["supported"] == ["praxis-sync/1"])
        }
    }

    @Test("a member removed from a secret community gets a purge order, and nothing of it any more")
    func purgeOnRemoval() async throws {
        let fixture = try ServerFixture(maximumBodyBytes: 1 << 20)
        try await fixture.application.test(.live) { client in
            let api = CommandRouteTests.Client(client: client)
            let org = try await Organisation(api)
            var phone = try await TestDevice.enroll(
                .ed25519, member: org.ada.id, client: client, serverKey: fixture.treeHeadKey.publicKey)
            let secret = phone.post(in: org.council, title: "Budget")
            #expect(try await phone.push(client).status == .ok)
            try await phone.pullAll(client)
            #expect(phone.posts[secret] != nil)
            let removed = try await api.send(
                .delete, "/v1/communities/\(org.council)/members/\(org.ada.id)", token: org.olga.token)
            #expect(removed.status == .ok)
            _ = try await api.send(
                .post, "/v1/communities/\(org.council)/posts", token: org.olga.token, ["title": "After Ada", "body": "Hidden"])
            let page = try await phone.send(client, .get, "/v1/sync/pull?cursor=\(try #require(phone.cursor))")
            let json = try page.json
            #expect(json["purge"]?.arrayValue?.contains(["kind": "community", "community": .string(org.council)]) == true)
            #expect(
                json["events"]?.arrayValue?.contains { $0["event"]?["payload"]?["community"]?.stringValue == org.council }
                    == false)
            try phone.apply(json)
            #expect(phone.posts.values.allSatisfy { $0.community != org.council })
        }
    }

    @Test("deleted posts and comments reach a new device only as their deletions")
    func deletedContent() async throws {
        let fixture = try ServerFixture(maximumBodyBytes: 1 << 20)
        try await fixture.application.test(.live) { client in
            let api = CommandRouteTests.Client(client: client)
            let org = try await Organisation(api)
            let key = fixture.treeHeadKey.publicKey
            var phone = try await TestDevice.enroll(.ed25519, member: org.ada.id, client: client, serverKey: key)
            let kept = phone.post(in: org.guild, title: "Kept")
            let dropped = phone.comment(on: kept, "Dropped")
            let stays = phone.comment(on: kept, "Stays")
            let gone = phone.post(in: org.guild, title: "Gone")
            #expect(try await phone.push(client).status == .ok)
            let token = org.olga.token
            #expect(try await api.send(.delete, "/v1/posts/\(kept)/comments/\(dropped)", token: token).status == .ok)
            #expect(try await api.send(.delete, "/v1/posts/\(gone)", token: token).status == .ok)
            var tablet = try await TestDevice.enroll(.ed25519, member: org.ada.id, client: client, serverKey: key)
            var types: [String] = []
            var cursor: String?
            for _ in 0..<100 {
                let page = try await tablet.send(client, .get, "/v1/sync/pull?limit=5" + (cursor.map { "&cursor=\($0)" } ?? ""))
                let json = try page.json
                for item in json["events"]?.arrayValue ?? [] {
                    let payload = item["event"]?["payload"]
                    let subject = payload?["comment"]?.stringValue ?? payload?["post"]?.stringValue ?? ""
                    types.append("\(item["event"]?["type"]?.stringValue ?? "") \(subject)")
                }
                cursor = json["next_cursor"]?.stringValue
                if json["has_more"] == false { break }
            }
            #expect(types.contains("post_created \(kept)"))
            #expect(types.contains("comment_added \(stays)"))
            #expect(types.contains("comment_deleted \(dropped)"))
            #expect(!types.contains("comment_added \(dropped)"), "a deleted comment goes out as its deletion only")
            #expect(types.contains("post_deleted \(gone)"))
            #expect(!types.contains("post_created \(gone)"), "a deleted post goes out as its deletion only")
        }
    }
}
