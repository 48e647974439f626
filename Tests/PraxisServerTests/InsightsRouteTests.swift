import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import PraxisProjections
import PraxisProtocol
import PraxisServer
import Testing

@Suite("HTTP: insights")
struct InsightsRouteTests {
    @Test("community and organisation reports over real HTTP; parameters checked; guests and outsiders refused")
    func insights() async throws {
        let fixture = try ServerFixture()
        try await fixture.withReadModels { raw in
            let api = CommandRouteTests.Client(client: raw)
            let (_, olga) = try await api.member("Olga")
            let (_, ada) = try await api.member("Ada")
            let (_, guest) = try await api.member("Gus", external: "Acme")
            let created = try await api.send(
                .post, "/v1/communities", token: olga, ["name": "Closed", "kind": "practice", "visibility": "closed"])
            let community = try #require(try created.json["ids"]?["community"]?.stringValue)
            let asked = try await api.send(
                .post, "/v1/communities/\(community)/posts", token: olga,
                ["kind": "question", "title": "Why?", "body": "Tell me"])
            let position = try #require(try asked.json["events"]?.arrayValue?.last?["position"]?.numberValue)

            let report = try await api.send(
                .get, "/v1/communities/\(community)/insights?period=7d&stale_days=3&min_position=\(Int(position))", token: olga)
            #expect(report.status == .ok)
            #expect(Double(report.headers[HTTPField.Name("Praxis-Position")!] ?? "") ?? 0 >= position)
            let body = try report.json
            #expect(body["scope"]?["community"]?.stringValue == community)
            #expect(body["period"]?["days"] == 7)
            #expect(body["questions"]?["asked"] == 1)
            #expect(body["questions"]?["stale_after_days"] == 3)
            // One member: below the default threshold of 5, so the activity figures are suppressed.
            #expect(body["activity"]?["windows"]?.arrayValue?.first?["active"] == .null)
            #expect(body["suppressed"]?.arrayValue?.contains("activity.7d.active") == true)

            let org = try await api.send(.get, "/v1/insights/org?period=90d", token: ada)
            #expect(org.status == .ok)
            #expect(try org.json["scope"]?["kind"] == "organisation")

            #expect(try await api.send(.get, "/v1/communities/\(community)/insights", token: ada).errorCode == "not_member")
            #expect(try await api.send(.get, "/v1/insights/org", token: guest).errorCode == "not_member")
            #expect(try await api.send(.get, "/v1/insights/org", token: nil).status == .unauthorized)
            for bad in ["period=0d", "period=28", "period=367d", "until=yesterday", "stale_days=0"] {
                let refused = try await api.send(.get, "/v1/insights/org?\(bad)", token: ada)
                #expect(refused.status == .badRequest, "\(bad)")
                #expect(refused.errorCode == "invalid_parameter", "\(bad)")
            }
            #expect(
                try await api.send(.get, "/v1/communities/not-a-uuid/insights", token: ada).errorCode == "invalid_parameter")
        }
    }
}
