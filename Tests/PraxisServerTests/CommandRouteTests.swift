import Foundation
import Hummingbird
import HummingbirdTesting
import PraxisDomain
import PraxisProtocol
import PraxisServer
import PraxisStore
import Testing

/// The write path over HTTP: a hand-built organisation through the real router.
@Suite("HTTP: commands")
struct CommandRouteTests {
    /// Sends JSON and returns the answer.
    struct Client {
        let client: any TestClientProtocol

        func send(_ method: HTTPRequest.Method, _ uri: String, token: String?, _ body: JSONValue? = nil) async throws
            -> TestResponse
        {
            var headers: HTTPFields = [:]
            if let token { headers[.authorization] = "Bearer \(token)" }
            var buffer: ByteBuffer?
            if let body {
                headers[.contentType] = "application/json"
                buffer = ByteBuffer(bytes: CanonicalJSON.encode(body))
            }
            return try await client.execute(uri: uri, method: method, headers: headers, body: buffer)
        }

        /// Registers a member and mints a token for them; returns (id, token).
        func member(_ name: String, external: String? = nil) async throws -> (String, String) {
            var body: JSONValue = [
                "display_name": .string(name), "email": .string("\(name.lowercased())@example.com"), "region": "EMEA",
                "department": "R&D",
            ]
            if let external, case .object(var fields) = body {
                fields["external"] = true
                fields["organization"] = .string(external)
                body = .object(fields)
            }
            let registered = try await send(.post, "/v1/operator/members", token: ServerFixture.operatorToken, body)
            #expect(registered.status == .created)
            let id = try #require(try registered.json["ids"]?["member"]?.stringValue)
            let minted = try await send(.post, "/v1/operator/members/\(id)/tokens", token: ServerFixture.operatorToken)
            #expect(minted.status == .created)
            return (id, try #require(try minted.json["token"]?.stringValue))
        }
    }

    @Test("a small organisation through the API: community, join, post, answer, accept")
    func scenario() async throws {
        let fixture = try ServerFixture()
        try await fixture.application.test(.router) { raw in
            let api = Client(client: raw)
            let (_, olga) = try await api.member("Olga")
            let (adaID, ada) = try await api.member("Ada")
            let created = try await api.send(
                .post, "/v1/communities", token: olga, ["name": "Swift guild", "kind": "practice", "visibility": "open"])
            #expect(created.status == .created)
            let community = try #require(try created.json["ids"]?["community"]?.stringValue)
            #expect(try created.json["events"]?.arrayValue?.first?["type"] == "community_created")
            #expect(try await api.send(.post, "/v1/communities/\(community)/join", token: ada).status == .ok)
            let asked = try await api.send(
                .post, "/v1/communities/\(community)/posts", token: ada,
                ["kind": "question", "title": "Actors or locks?", "body": "Which one?"])
            #expect(asked.status == .created)
            let post = try #require(try asked.json["ids"]?["post"]?.stringValue)
            let commented = try await api.send(.post, "/v1/posts/\(post)/comments", token: olga, ["body": "Actors."])
            let comment = try #require(try commented.json["ids"]?["comment"]?.stringValue)
            let accepted = try await api.send(.post, "/v1/posts/\(post)/answer", token: ada, ["comment": .string(comment)])
            #expect(accepted.status == .ok)
            #expect(try accepted.json["events"]?.arrayValue?.first?["type"] == "answer_accepted")
            let thanks = try await api.send(
                .post, "/v1/posts/\(post)/reactions", token: ada, ["reaction": "thanks", "comment": .string(comment)])
            #expect(thanks.status == .ok)
            // The log shows it all, with the member as the actor.
            let log = try await api.send(.get, "/v1/log?limit=1000", token: ServerFixture.operatorToken)
            let events = try #require(try log.json["events"]?.arrayValue)
            #expect(events.last?["type"] == "reaction_added")
            #expect(events.last?["metadata"]?["actor"]?.stringValue == adaID)
        }
    }

    @Test("rejections carry their code, status and field")
    func rejections() async throws {
        let fixture = try ServerFixture()
        try await fixture.application.test(.router) { raw in
            let api = Client(client: raw)
            let (_, olga) = try await api.member("Olga")
            let (_, ada) = try await api.member("Ada")
            let secret = try await api.send(
                .post, "/v1/communities", token: olga, ["name": "Board", "kind": "practice", "visibility": "secret"])
            let secretID = try #require(try secret.json["ids"]?["community"]?.stringValue)
            let closed = try await api.send(
                .post, "/v1/communities", token: olga, ["name": "Leads", "kind": "practice", "visibility": "closed"])
            let closedID = try #require(try closed.json["ids"]?["community"]?.stringValue)
            let cases: [(HTTPRequest.Method, String, JSONValue?, HTTPResponse.Status, String, String?)] = [
                (.post, "/v1/communities/\(secretID)/join", nil, .notFound, "not_found", nil),
                (.post, "/v1/communities/\(closedID)/join", nil, .conflict, "approval_required", nil),
                (.post, "/v1/communities/\(closedID)/posts", ["body": "hi"], .forbidden, "not_member", nil),
                (
                    .post, "/v1/communities", ["name": "", "kind": "practice", "visibility": "open"], .badRequest,
                    "invalid_field", "name"
                ),
                (
                    .post, "/v1/communities", ["name": "X", "kind": "nope", "visibility": "open"], .badRequest, "invalid_field",
                    "kind"
                ),
                (.post, "/v1/communities", ["kind": "practice", "visibility": "open"], .badRequest, "invalid_field", "name"),
                (.post, "/v1/communities/not-a-uuid/join", nil, .badRequest, "invalid_field", "community"),
                (
                    .post, "/v1/communities/\(closedID)/join", ["community": .string(secretID)], .badRequest, "invalid_field",
                    "community"
                ),
                (.put, "/v1/mentoring/offer", ["topics": [], "capacity": 50], .badRequest, "invalid_field", "capacity"),
                (.post, "/v1/operator/members", ["display_name": "X"], .unauthorized, "unauthorized", nil),
            ]
            for (method, uri, body, status, code, field) in cases {
                let response = try await api.send(method, uri, token: ada, body)
                #expect(response.status == status, "\(method) \(uri)")
                #expect(response.errorCode == code, "\(method) \(uri): \(String(buffer: response.body))")
                #expect(try response.json["error"]?["field"]?.stringValue == field, "\(method) \(uri)")
            }
        }
    }

    @Test("an e-mail address another member holds is refused on registration and on a change, 409 email_taken")
    func takenEmail() async throws {
        let fixture = try ServerFixture()
        try await fixture.application.test(.router) { raw in
            let api = Client(client: raw)
            let (adaID, _) = try await api.member("Ada")
            let (olgaID, _) = try await api.member("Olga")
            let head = try await fixture.store.head()
            let twin = try await api.send(
                .post, "/v1/operator/members", token: ServerFixture.operatorToken,
                ["display_name": "Ada Two", "email": "Ada@Example.com", "region": "EMEA", "department": "R&D"])
            let change = try await api.send(
                .patch, "/v1/operator/members/\(olgaID)", token: ServerFixture.operatorToken, ["email": "ada@example.com"])
            for response in [twin, change] {
                #expect(response.status == .conflict)
                #expect(response.errorCode == "email_taken")
                #expect(try response.json["error"]?["field"] == "email")
                #expect(
                    try response.json["error"]?["message"]?.stringValue
                        == "the e-mail address ada@example.com belongs to member \(adaID)")
            }
            #expect(try await fixture.store.head() == head)
        }
    }

    @Test("a misspelt or unknown body member is refused, naming it and what the request takes")
    func unknownBodyMembers() async throws {
        let fixture = try ServerFixture()
        try await fixture.application.test(.router) { raw in
            let api = Client(client: raw)
            let (_, ada) = try await api.member("Ada")
            let head = try await fixture.store.head()
            let community: JSONValue = ["name": "Swift guild", "kind": "practice", "visibility": "closed"]
            var misspelt = try #require(community.objectValue)
            misspelt["descripton"] = "Typed in a hurry"
            let refused = try await api.send(.post, "/v1/communities", token: ada, .object(misspelt))
            #expect(refused.status == .badRequest)
            #expect(try refused.json["error"]?["field"] == "descripton")
            #expect(
                try refused.json["error"]?["message"]
                    == "descripton is not a field of this request, which takes community, description, kind, name, tags, visibility"
            )
            #expect(try await fixture.store.head() == head, "nothing written")

            let created = try await api.send(.post, "/v1/communities", token: ada, community)
            let id = try #require(try created.json["ids"]?["community"]?.stringValue)
            // The path's own field may be repeated when it agrees; a route that takes no fields says so.
            let archived = try await api.send(.post, "/v1/communities/\(id)/archive", token: ada, ["community": .string(id)])
            #expect(archived.status == .ok, "\(String(buffer: archived.body))")
            let extra = try await api.send(.post, "/v1/communities/\(id)/unarchive", token: ada, ["reason": "back"])
            #expect(try extra.json["error"]?["message"] == "reason is not a field of this request, which takes no fields")
            let unnamed = try await raw.execute(
                uri: "/v1/communities/\(id)/unarchive", method: .post,
                headers: [.authorization: "Bearer \(ada)", .contentType: "application/json"], body: ByteBuffer(string: #"{"":1}"#)
            )
            #expect(try unnamed.json["error"]?["field"] == #""""#)
            let long = String(repeating: "x", count: 1_000)
            let shortened = try await api.send(.post, "/v1/communities/\(id)/unarchive", token: ada, [long: 1])
            #expect(try shortened.json["error"]?["field"]?.stringValue == String(repeating: "x", count: 64) + "…")
        }
    }

    @Test("a device invitation's validity must be a whole number of seconds, never silently the default")
    func invitationValidity() async throws {
        let fixture = try ServerFixture()
        try await fixture.application.test(.router) { raw in
            let api = Client(client: raw)
            let (ada, _) = try await api.member("Ada")
            let cases: [(JSONValue, String?)] = [
                (["member": .string(ada), "valid_for_seconds": "3600"], "valid_for_seconds"),
                (["member": .string(ada), "valid_for_seconds": 3600.5], "valid_for_seconds"),
                (["member": .string(ada), "valid_for_seconds": 59], "valid_for_seconds"),
                (["member": .string(ada), "valid_for": 3600], "valid_for"),
                (["member": .string(ada), "valid_for_seconds": 3600], nil),
            ]
            for (body, field) in cases {
                let before = Timestamp(Date())
                let response = try await api.send(
                    .post, "/v1/operator/devices/invitations", token: ServerFixture.operatorToken, body)
                #expect(response.status == (field == nil ? .created : .badRequest), "\(body)")
                #expect(try response.json["error"]?["field"]?.stringValue == field, "\(body)")
                if field == nil {
                    let text = try #require(try response.json["expires_at"]?.stringValue)
                    let expires = try #require(Timestamp(rfc3339: text))
                    let seconds = (expires.millisecondsSinceEpoch - before.millisecondsSinceEpoch) / 1_000
                    #expect((3_599...3_601).contains(seconds), "an hour, not the default day")
                }
            }
        }
    }

    @Test("hostile bodies are refused with their own codes and nothing is written")
    func hostileBodies() async throws {
        let fixture = try ServerFixture()
        try await fixture.application.test(.router) { raw in
            let api = Client(client: raw)
            let (_, ada) = try await api.member("Ada")
            let head = try await fixture.store.head()
            let bodies: [(String, String, HTTPResponse.Status, String)] = [
                (
                    #"{"name":"a","name":"b","kind":"practice","visibility":"open"}"#, "application/json", .badRequest,
                    "duplicate_key"
                ),
                (#"{"name":"a","#, "application/json", .badRequest, "invalid_json"),
                (
                    String(repeating: "[", count: 100) + String(repeating: "]", count: 100), "application/json", .badRequest,
                    "nesting_too_deep"
                ),
                (#"{"capacity":1e999}"#, "application/json", .badRequest, "number_out_of_range"),
                (#"["not","an","object"]"#, "application/json", .badRequest, "invalid_json"),
                (#"{"name":"a"}"#, "text/plain", .unsupportedMediaType, "unsupported_media_type"),
                (#"{"name":"a"}"#, "application/jsonx", .unsupportedMediaType, "unsupported_media_type"),
                (#"{"name":"a"}"#, "application/json; charset=latin1", .unsupportedMediaType, "unsupported_media_type"),
                (#"{"name":"a"}"#, "application/json;charset", .unsupportedMediaType, "unsupported_media_type"),
                (
                    #"{"name":"Charset","kind":"practice","visibility":"open"}"#, "Application/JSON; Charset=\"UTF-8\"",
                    .created, ""
                ),
                (
                    "{\"name\":\"\u{1}\",\"kind\":\"practice\",\"visibility\":\"open\"}", "application/json", .badRequest,
                    "invalid_json"
                ),
                (
                    #"{"name":"Robert'); DROP TABLE events;--","kind":"practice","visibility":"secret"}"#, "application/json",
                    .created, ""
                ),
            ]
            for (text, contentType, status, code) in bodies {
                let response = try await raw.execute(
                    uri: "/v1/communities", method: .post,
                    headers: [.authorization: "Bearer \(ada)", .contentType: contentType], body: ByteBuffer(string: text))
                #expect(response.status == status, "\(text.prefix(40))")
                if !code.isEmpty { #expect(response.errorCode == code, "\(text.prefix(40))") }
            }
            let invalidUTF8 = try await raw.execute(
                uri: "/v1/communities", method: .post,
                headers: [.authorization: "Bearer \(ada)", .contentType: "application/json"],
                body: ByteBuffer(bytes: Array(#"{"name":""#.utf8) + [0xC3, 0x28] + Array(#""}"#.utf8)))
            #expect(invalidUTF8.errorCode == "invalid_utf8")
            #expect(
                try await fixture.store.head() == head.next.next,
                "only the SQL-looking but valid community and the one in UTF-8 by name were written")
        }
    }

    @Test("tokens: revoked tokens stop working at once; deactivated members are refused")
    func tokens() async throws {
        let fixture = try ServerFixture()
        try await fixture.application.test(.router) { raw in
            let api = Client(client: raw)
            let (adaID, ada) = try await api.member("Ada")
            let body: JSONValue = ["name": "G", "kind": "practice", "visibility": "open"]
            #expect(try await api.send(.post, "/v1/communities", token: ada, body).status == .created)
            let second = try await api.send(.post, "/v1/operator/members/\(adaID)/tokens", token: ServerFixture.operatorToken)
            let secondToken = try #require(try second.json["token"]?.stringValue)
            let secondID = try #require(try second.json["token_id"]?.stringValue)
            #expect(try await api.send(.delete, "/v1/me/tokens/\(secondID)", token: secondToken).status == .ok)
            #expect(try await api.send(.post, "/v1/communities", token: secondToken, body).status == .unauthorized)
            #expect(try await api.send(.post, "/v1/communities", token: ada, body).status == .created)
            #expect(
                try await api.send(.post, "/v1/operator/members/\(adaID)/deactivate", token: ServerFixture.operatorToken).status
                    == .ok)
            let refused = try await api.send(.post, "/v1/communities", token: ada, body)
            #expect(refused.status == .forbidden)
            #expect(refused.errorCode == "member_deactivated")
            let unknown = try await api.send(
                .post, "/v1/operator/members/\(UUID().wireString)/tokens", token: ServerFixture.operatorToken)
            #expect(unknown.errorCode == "not_found")
        }
    }
}
