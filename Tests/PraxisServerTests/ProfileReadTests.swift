import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import PraxisProtocol
import PraxisServer
import PraxisStore
import Testing

@Suite("HTTP: profiles")
struct ProfileReadTests {
    @Test("who you are, and other members as the directory shows them: no e-mail, changes at once")
    func profiles() async throws {
        let fixture = try ServerFixture()
        try await fixture.withReadModels { raw in
            let api = CommandRouteTests.Client(client: raw)
            let (olgaID, olga) = try await api.member("Olga")
            let (adaID, ada) = try await api.member("Ada")
            let community = try await ThreadReadTests.community("open", owner: olga, api)
            #expect(try await api.send(.post, "/v1/members/\(olgaID)/follow", token: ada).status == .ok)
            let followed = try await api.send(.post, "/v1/communities/\(community)/follow", token: ada)
            let written = try #require(try followed.json["events"]?.arrayValue?.last?["position"]?.numberValue)
            let me = try await api.send(.get, "/v1/me?min_position=\(Int(written))", token: ada)
            #expect(me.status == .ok, "\(String(buffer: me.body))")
            #expect(me.headers[HTTPField.Name("Praxis-Position")!] != nil)
            #expect(
                try me.json == [
                    "member": .string(adaID), "display_name": "Ada", "title": "", "region": "EMEA", "department": "R&D",
                    "leadership": "contributor", "external": false, "active": true, "email": "ada@example.com",
                    "following": ["members": [.string(olgaID)], "communities": [.string(community)]],
                ])
            let renamed = try await api.send(
                .patch, "/v1/operator/members/\(olgaID)", token: ServerFixture.operatorToken,
                ["display_name": "Olga K.", "title": "Community lead"])
            #expect(renamed.status == .ok)
            let other = try await api.send(.get, "/v1/members/\(olgaID)", token: ada).json
            #expect(other["display_name"] == "Olga K.", "read from the log: the change shows at once")
            #expect(other["title"] == "Community lead")
            #expect(other["email"] == nil && other["following"] == nil, "e-mail and follows are one's own")
            #expect(try await api.send(.get, "/v1/members/not-a-member", token: ada).errorCode == "invalid_parameter")
            #expect(try await api.send(.get, "/v1/me", token: nil).status == .unauthorized)
            let deactivated = try await api.send(
                .post, "/v1/operator/members/\(adaID)/deactivate", token: ServerFixture.operatorToken)
            let position = try #require(try deactivated.json["events"]?.arrayValue?.last?["position"]?.numberValue)
            let seen = try await api.send(.get, "/v1/members/\(adaID)?min_position=\(Int(position))", token: olga).json
            #expect(seen["active"] == false)
            #expect(
                try await api.send(.get, "/v1/me?min_position=\(Int(position))", token: ada).errorCode == "member_deactivated")
        }
    }

    @Test("a guest sees the members of their communities only; the same answer for anyone else and for nobody")
    func guests() async throws {
        let fixture = try ServerFixture()
        try await fixture.withReadModels { raw in
            let api = CommandRouteTests.Client(client: raw)
            let (olgaID, olga) = try await api.member("Olga")
            let (ottoID, otto) = try await api.member("Otto")
            let (gusID, gus) = try await api.member("Gus", external: "Acme")
            let project = try await ThreadReadTests.create(
                "/v1/communities", "community", by: olga, ["name": "Project", "kind": "external", "visibility": "closed"], api)
            #expect(
                try await api.send(.post, "/v1/communities/\(project)/invitations", token: olga, ["member": .string(gusID)])
                    .status == .ok)
            let accepted = try await api.send(.post, "/v1/communities/\(project)/invitation/accept", token: gus)
            let position = try #require(try accepted.json["events"]?.arrayValue?.last?["position"]?.numberValue)
            func read(_ member: String, as token: String) async throws -> TestResponse {
                try await api.send(.get, "/v1/members/\(member)?min_position=\(Int(position))", token: token)
            }
            #expect(try await read(olgaID, as: gus).status == .ok, "a fellow member of the project")
            let own = try await read(gusID, as: gus).json
            #expect(own["organization"] == "Acme")
            #expect(own["external"] == true)
            for hidden in [ottoID, UUID().wireString] {
                let refused = try await read(hidden, as: gus)
                #expect(refused.status == .notFound)
                #expect(try refused.json["error"]?["message"]?.stringValue == "no member \(hidden)")
            }
            #expect(try await read(gusID, as: otto).status == .ok, "internal members see the whole directory")
            // Several at once: what the guest may see in the order asked, the rest under `missing`.
            let unknown = UUID().wireString
            let several = try await api.send(
                .get, "/v1/members?ids=\(ottoID),\(olgaID),\(unknown),\(gusID),\(olgaID)&min_position=\(Int(position))",
                token: gus)
            #expect(several.status == .ok, "\(String(buffer: several.body))")
            let found = try several.json
            #expect(found["items"]?.arrayValue?.map { $0["member"]?.stringValue } == [olgaID, gusID])
            #expect(found["items"]?.arrayValue?.first?["display_name"] == "Olga")
            #expect(found["items"]?.arrayValue?.first?["email"] == nil)
            #expect(found["missing"] == [.string(ottoID), .string(unknown)])
            let tooMany = (0...100).map { _ in UUID().wireString }.joined(separator: ",")
            for ids in ["", "x", "\(olgaID),", tooMany] {
                let refused = try await api.send(.get, "/v1/members?ids=\(ids)", token: otto)
                #expect(refused.errorCode == "invalid_parameter", "ids=\(ids.prefix(40))")
            }
        }
    }
}
