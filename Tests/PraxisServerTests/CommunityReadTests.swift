import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import PraxisProtocol
import PraxisServer
import PraxisStore
import Testing

@Suite("HTTP: finding communities")
struct CommunityReadTests {
    @Test("the list shows what each reader may see, with their standing; filters and pages; one community in full")
    func communities() async throws {
        let fixture = try ServerFixture()
        try await fixture.withReadModels { raw in
            let api = CommandRouteTests.Client(client: raw)
            let (olgaID, olga) = try await api.member("Olga")
            let (_, otto) = try await api.member("Otto")
            let (gusID, gus) = try await api.member("Gus", external: "Acme")
            func create(_ name: String, _ kind: String, _ visibility: String) async throws -> String {
                try await ThreadReadTests.create(
                    "/v1/communities", "community", by: olga,
                    [
                        "name": .string(name), "kind": .string(kind), "visibility": .string(visibility),
                        "description": .string("About \(name)"), "tags": ["craft"],
                    ], api)
            }
            let guild = try await create("Guild", "practice", "open")
            let leads = try await create("Leads", "practice", "closed")
            let board = try await create("Board", "practice", "secret")
            let onboarding = try await create("Onboarding", "learning", "open")
            let project = try await create("Project", "external", "closed")
            var written = 0.0
            let steps: [(String, String, JSONValue?)] = [
                ("/v1/communities/\(leads)/requests", otto, ["message": "please"] as JSONValue),
                ("/v1/communities/\(guild)/join", otto, nil),
                ("/v1/communities/\(project)/invitations", olga, ["member": .string(gusID)]),
            ]
            for (path, token, body) in steps {
                let answered = try await api.send(.post, path, token: token, body)
                #expect(answered.status == .ok, "\(path): \(String(buffer: answered.body))")
                written = try #require(try answered.json["events"]?.arrayValue?.last?["position"]?.numberValue)
            }
            func list(_ query: String, as token: String) async throws -> [JSONValue] {
                let page = try await api.send(.get, "/v1/communities?min_position=\(Int(written))&\(query)", token: token)
                #expect(page.status == .ok, "\(query): \(String(buffer: page.body))")
                return try page.json["items"]?.arrayValue ?? []
            }
            let seenByOtto = try await list("limit=100", as: otto)
            #expect(seenByOtto.map { $0["community"]?.stringValue } == [guild, leads, onboarding, project])
            let guildForOtto = try #require(seenByOtto.first)
            #expect(
                guildForOtto == [
                    "community": .string(guild), "name": "Guild", "kind": "practice", "visibility": "open",
                    "archived": false, "members": 2, "role": "member", "invited": false, "requested": false,
                ])
            #expect(seenByOtto[1]["requested"] == true)
            #expect(seenByOtto[1]["role"] == nil)
            #expect(try await list("", as: olga).count == 5, "the owner sees the secret one too")
            #expect(try await list("kind=learning", as: otto).map { $0["community"]?.stringValue } == [onboarding])
            #expect(try await list("mine=true", as: otto).map { $0["community"]?.stringValue } == [guild])
            #expect(try await list("name=BOARD", as: olga).map { $0["community"]?.stringValue } == [board, onboarding])
            #expect(
                try await list("name=board", as: otto).map { $0["community"]?.stringValue } == [onboarding],
                "a name search finds no secret community")
            #expect(try await list("name=o", as: otto).map { $0["community"]?.stringValue } == [onboarding, project])
            let seenByGus = try await list("", as: gus)
            #expect(seenByGus.map { $0["community"]?.stringValue } == [project], "a guest sees only their projects")
            #expect(seenByGus.first?["invited"] == true)
            // Pages follow each other without gaps.
            let first = try await api.send(.get, "/v1/communities?limit=3", token: olga).json
            let cursor = try #require(first["next_cursor"]?.stringValue)
            let second = try await api.send(.get, "/v1/communities?limit=3&cursor=\(cursor)", token: olga).json
            #expect(
                ((first["items"]?.arrayValue ?? []) + (second["items"]?.arrayValue ?? [])).map { $0["community"]?.stringValue }
                    == [guild, leads, board, onboarding, project])
            #expect(second["next_cursor"] == nil)
            // One community in full, read from its stream.
            #expect(try await api.send(.get, "/v1/communities/\(board)", token: otto).errorCode == "not_found")
            let renamed = try await api.send(
                .patch, "/v1/communities/\(leads)", token: olga, ["name": "Team leads", "description": "For leads"])
            #expect(renamed.status == .ok)
            let detail = try await api.send(.get, "/v1/communities/\(leads)", token: otto)
            #expect(
                try detail.json == [
                    "community": .string(leads), "name": "Team leads", "description": "For leads", "kind": "practice",
                    "visibility": "closed", "tags": ["craft"], "archived": false, "members": 1, "owners": [.string(olgaID)],
                    "invited": false, "requested": true,
                ])
            #expect(try await api.send(.get, "/v1/communities?kind=club", token: otto).errorCode == "invalid_parameter")
            #expect(try await api.send(.get, "/v1/communities?mine=maybe", token: otto).errorCode == "invalid_parameter")
            #expect(try await api.send(.get, "/v1/communities?name=", token: otto).errorCode == "invalid_parameter")
            #expect(try await api.send(.get, "/v1/communities?cursor=bogus", token: otto).errorCode == "invalid_cursor")
        }
    }
}
