import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import PraxisProjections
import PraxisProtocol
import PraxisServer
import PraxisStore
import Testing

@Suite("HTTP: a post's thread")
struct ThreadReadTests {
    @Test("a question with its answers: full text, edits, replies, a deleted reply's place, reactions, paging")
    func thread() async throws {
        let fixture = try ServerFixture()
        try await fixture.withReadModels { raw in
            let api = CommandRouteTests.Client(client: raw)
            let (olgaID, olga) = try await api.member("Olga")
            let (adaID, ada) = try await api.member("Ada")
            let community = try await Self.community("closed", owner: olga, api)
            #expect(
                try await api.send(.post, "/v1/communities/\(community)/invitations", token: olga, ["member": .string(adaID)])
                    .status == .ok)
            let accepted = try await api.send(.post, "/v1/communities/\(community)/invitation/accept", token: ada)
            let joined = try #require(try accepted.json["events"]?.arrayValue?.last?["position"]?.numberValue)
            let post = try await Self.create(
                "/v1/communities/\(community)/posts", "post", by: ada,
                ["kind": "question", "title": "Actors or locks?", "body": "Which one for a cache? #swift"], api)
            let answer = try await Self.create("/v1/posts/\(post)/comments", "comment", by: olga, ["body": "Locks."], api)
            let reply = try await Self.create(
                "/v1/posts/\(post)/comments", "comment", by: ada, ["body": "Why?", "parent": .string(answer)], api)
            let later = try await Self.create("/v1/posts/\(post)/comments", "comment", by: ada, ["body": "Thanks!"], api)
            let steps: [(HTTPRequest.Method, String, String, JSONValue?)] = [
                (
                    .patch, "/v1/posts/\(post)/comments/\(answer)", olga,
                    ["body": .string("Actors, @\(adaID).")]
                ),
                (.post, "/v1/posts/\(post)/reactions", ada, ["reaction": "thanks", "comment": .string(answer)]),
                (.post, "/v1/posts/\(post)/reactions", olga, ["reaction": "like", "comment": .string(answer)]),
                (.post, "/v1/posts/\(post)/reactions", olga, ["reaction": "insightful"]),
                (.post, "/v1/posts/\(post)/answer", ada, ["comment": .string(answer)]),
                (.delete, "/v1/posts/\(post)/comments/\(reply)", ada, nil),
            ]
            for (method, path, token, body) in steps {
                let answered = try await api.send(method, path, token: token, body)
                #expect(answered.status == .ok, "\(method) \(path): \(String(buffer: answered.body))")
            }
            // Waiting for the roster to know Ada joined is enough: the thread comes from the log itself.
            let page = try await api.send(.get, "/v1/posts/\(post)?limit=2&min_position=\(Int(joined))", token: ada)
            #expect(page.status == .ok, "\(String(buffer: page.body))")
            let thread = try page.json
            let head = try #require(thread["post"])
            #expect(head["title"] == "Actors or locks?")
            #expect(head["body"] == "Which one for a cache? #swift")
            #expect(head["tags"] == ["swift"])
            #expect(head["author"]?.stringValue == adaID)
            #expect(head["accepted_comment"]?.stringValue == answer)
            #expect(head["comments"] == 2, "the deleted reply is not counted")
            #expect(head["reactions"] == ["like": 0, "thanks": 0, "insightful": 1])
            #expect(head["my_reactions"] == [])
            let first = try #require(thread["items"]?.arrayValue)
            #expect(first.count == 2)
            #expect(first[0]["comment"]?.stringValue == answer)
            #expect(first[0]["author"]?.stringValue == olgaID)
            #expect(first[0]["body"]?.stringValue == "Actors, @\(adaID).")
            #expect(first[0]["mentions"]?.arrayValue == [.string(adaID)])
            #expect(first[0]["edited_at"]?.stringValue != nil)
            #expect(first[0]["reactions"] == ["like": 1, "thanks": 1, "insightful": 0])
            #expect(first[0]["my_reactions"] == ["thanks"])
            #expect(
                first[1] == [
                    "comment": .string(reply), "parent": .string(answer), "deleted": true,
                    "created_at": try #require(first[1]["created_at"]),
                ], "a deleted comment keeps its place, without author or text")
            let cursor = try #require(thread["next_cursor"]?.stringValue)
            let rest = try await api.send(.get, "/v1/posts/\(post)?limit=2&cursor=\(cursor)", token: olga).json
            #expect(try #require(rest["items"]?.arrayValue).map { $0["comment"]?.stringValue } == [later])
            #expect(rest["next_cursor"] == nil)
            #expect(rest["post"]?["my_reactions"] == ["insightful"], "each reader sees their own reactions")
        }
    }

    @Test("who may read a thread: members of closed communities, nobody outside a secret one, nobody a deleted post")
    func access() async throws {
        let fixture = try ServerFixture()
        try await fixture.withReadModels { raw in
            let api = CommandRouteTests.Client(client: raw)
            let (_, olga) = try await api.member("Olga")
            let (_, otto) = try await api.member("Otto")
            let open = try await Self.community("open", owner: olga, api)
            let closed = try await Self.community("closed", owner: olga, api)
            let secret = try await Self.community("secret", owner: olga, api)
            var posts: [String: String] = [:]
            for community in [open, closed, secret] {
                posts[community] = try await Self.create(
                    "/v1/communities/\(community)/posts", "post", by: olga, ["title": "Hello", "body": "Text"], api)
            }
            let gone = try await Self.create(
                "/v1/communities/\(open)/posts", "post", by: olga, ["title": "Gone", "body": "x"], api)
            let deleted = try await api.send(.delete, "/v1/posts/\(gone)", token: olga)
            let position = try #require(try deleted.json["events"]?.arrayValue?.last?["position"]?.numberValue)
            func read(_ post: String, _ token: String) async throws -> TestResponse {
                try await api.send(.get, "/v1/posts/\(post)?min_position=\(Int(position))", token: token)
            }
            #expect(try await read(try #require(posts[open]), otto).status == .ok, "open content is for everyone inside")
            #expect(try await read(try #require(posts[closed]), otto).errorCode == "not_member")
            for post in [try #require(posts[secret]), gone, UUID().wireString] {
                let refused = try await read(post, otto)
                #expect(refused.status == .notFound)
                #expect(
                    try refused.json["error"]?["message"]?.stringValue == "no post \(post)",
                    "the same answer whether the post is secret, deleted or never was: the community is not named")
            }
            #expect(try await read(try #require(posts[secret]), olga).status == .ok)
            #expect(try await api.send(.get, "/v1/posts/not-a-post", token: otto).errorCode == "invalid_parameter")
            #expect(
                try await api.send(.get, "/v1/posts/\(try #require(posts[open]))?cursor=bogus", token: olga).errorCode
                    == "invalid_cursor")
            #expect(try await api.send(.get, "/v1/posts/\(try #require(posts[open]))", token: nil).status == .unauthorized)
        }
    }

    static func community(_ visibility: String, owner: String, _ api: CommandRouteTests.Client) async throws -> String {
        try await create(
            "/v1/communities", "community", by: owner,
            ["name": .string(visibility), "kind": "practice", "visibility": .string(visibility)], api)
    }

    /// Sends a command that creates something and returns the new thing's id, named `key`.
    static func create(
        _ path: String, _ key: String, by token: String, _ body: JSONValue, _ api: CommandRouteTests.Client
    ) async throws -> String {
        let created = try await api.send(.post, path, token: token, body)
        #expect(created.status == .created, "\(path): \(String(buffer: created.body))")
        return try #require(try created.json["ids"]?[key]?.stringValue)
    }
}
