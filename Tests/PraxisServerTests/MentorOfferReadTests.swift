import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import PraxisProtocol
import PraxisServer
import PraxisStore
import Testing

@Suite("HTTP: finding a mentor")
struct MentorOfferReadTests {
    @Test("the members offering now, with topics and capacity left; a topic filter; not for guests")
    func offers() async throws {
        let fixture = try ServerFixture()
        try await fixture.withReadModels { raw in
            let api = CommandRouteTests.Client(client: raw)
            let (mariaID, maria) = try await api.member("Maria")
            let (markID, mark) = try await api.member("Mark")
            let (_, wendy) = try await api.member("Wendy")
            let (_, nina) = try await api.member("Nina")
            let (_, gus) = try await api.member("Gus", external: "Acme")
            for (token, topics, capacity) in [(maria, ["Swift", "Leadership"], 1), (mark, ["sales"], 2), (wendy, ["law"], 1)] {
                let body: JSONValue = ["topics": .array(topics.map { .string($0) }), "capacity": .number(Double(capacity))]
                #expect(try await api.send(.put, "/v1/mentoring/offer", token: token, body).status == .ok)
            }
            #expect(try await api.send(.delete, "/v1/mentoring/offer", token: wendy).status == .ok)
            let link = try await ThreadReadTests.create(
                "/v1/mentoring", "mentoring", by: nina, ["mentor": .string(mariaID), "message": "Hello"], api)
            let accepted = try await api.send(.post, "/v1/mentoring/\(link)/accept", token: maria)
            let written = try #require(try accepted.json["events"]?.arrayValue?.last?["position"]?.numberValue)
            func offers(_ query: String, as token: String) async throws -> TestResponse {
                try await api.send(.get, "/v1/mentoring/offers?min_position=\(Int(written))&\(query)", token: token)
            }
            let all = try #require(try await offers("", as: nina).json["items"]?.arrayValue)
            #expect(all.compactMap { $0["mentor"]?.stringValue } == [mariaID, markID].sorted(), "withdrawn offers are gone")
            let mariasOffer = try #require(all.first { $0["mentor"]?.stringValue == mariaID })
            #expect(
                mariasOffer == [
                    "mentor": .string(mariaID), "display_name": "Maria", "region": "EMEA", "department": "R&D",
                    "leadership": "contributor", "topics": ["swift", "leadership"], "capacity": 1, "capacity_left": 0,
                ])
            let swift = try #require(try await offers("topic=SWIFT", as: nina).json["items"]?.arrayValue)
            #expect(swift.compactMap { $0["mentor"]?.stringValue } == [mariaID])
            let forMaria = try #require(try await offers("", as: maria).json["items"]?.arrayValue)
            #expect(forMaria.compactMap { $0["mentor"]?.stringValue } == [markID], "not oneself")
            #expect(try await offers("", as: gus).errorCode == "guest_not_allowed")
            let long = String(repeating: "x", count: 101)
            #expect(try await offers("topic=\(long)", as: nina).errorCode == "invalid_parameter")
        }
    }
}
