import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import PraxisProtocol
import PraxisServer
import PraxisStore
import Synchronization
import Testing

@Suite("HTTP: a community's learning events")
struct LearningEventReadTests {
    /// A clock the test moves by hand.
    final class ManualClock: Sendable {
        let milliseconds = Mutex(Timestamp(Date()).millisecondsSinceEpoch)
        var now: Timestamp { Timestamp(millisecondsSinceEpoch: milliseconds.withLock { $0 }) }
        func advance(hours: Int64) { milliseconds.withLock { $0 += hours * 3_600_000 } }
    }

    @Test("in order of start, with RSVP counts, your answer and attendance; upcoming only; paged; members only")
    func learningEvents() async throws {
        let time = ManualClock()
        let fixture = try ServerFixture(clock: { time.now })
        try await fixture.withReadModels { raw in
            let api = CommandRouteTests.Client(client: raw)
            let (_, olga) = try await api.member("Olga")
            let (adaID, ada) = try await api.member("Ada")
            let (_, otto) = try await api.member("Otto")
            let academy = try await ThreadReadTests.create(
                "/v1/communities", "community", by: olga, ["name": "Academy", "kind": "learning", "visibility": "closed"], api)
            #expect(
                try await api.send(.post, "/v1/communities/\(academy)/invitations", token: olga, ["member": .string(adaID)])
                    .status == .ok)
            #expect(try await api.send(.post, "/v1/communities/\(academy)/invitation/accept", token: ada).status == .ok)
            var events: [String] = []
            for (title, startHours) in [("Kick-off", 1), ("Workshop", 24), ("Retro", 48)] {
                let start = Timestamp(millisecondsSinceEpoch: time.now.millisecondsSinceEpoch + Int64(startHours) * 3_600_000)
                let end = Timestamp(millisecondsSinceEpoch: start.millisecondsSinceEpoch + 3_600_000)
                events.append(
                    try await ThreadReadTests.create(
                        "/v1/communities/\(academy)/learning-events", "learning_event", by: olga,
                        [
                            "title": .string(title), "description": "Bring questions", "start": .string(start.rfc3339),
                            "end": .string(end.rfc3339),
                        ], api))
            }
            let steps: [(String, String, JSONValue?)] = [
                ("/v1/learning-events/\(events[0])/rsvp", ada, ["response": "going"]),
                ("/v1/learning-events/\(events[0])/rsvp", olga, ["response": "going"]),
                ("/v1/learning-events/\(events[1])/rsvp", ada, ["response": "maybe"]),
                ("/v1/learning-events/\(events[2])/cancel", olga, nil),
            ]
            var written = 0.0
            for (path, token, body) in steps {
                let answered = try await api.send(.post, path, token: token, body)
                #expect(answered.status == .ok, "\(path): \(String(buffer: answered.body))")
                written = try #require(try answered.json["events"]?.arrayValue?.last?["position"]?.numberValue)
            }
            func list(_ query: String, as token: String) async throws -> TestResponse {
                try await api.send(
                    .get, "/v1/communities/\(academy)/learning-events?min_position=\(Int(written))&\(query)", token: token)
            }
            let all = try #require(try await list("", as: ada).json["items"]?.arrayValue)
            #expect(all.map { $0["learning_event"]?.stringValue } == events)
            #expect(all[0]["title"] == "Kick-off")
            #expect(all[0]["description"] == "Bring questions")
            #expect(all[0]["rsvps"] == ["going": 2, "maybe": 0, "declined": 0])
            #expect(all[0]["my_rsvp"] == "going")
            #expect(all[0]["backchannel"]?.stringValue != nil)
            #expect(all[1]["my_rsvp"] == "maybe")
            #expect(all[2]["cancelled"] == true)
            #expect(all[2]["my_rsvp"] == nil)
            let first = try await list("limit=2", as: ada).json
            let cursor = try #require(first["next_cursor"]?.stringValue)
            let rest = try await list("limit=2&cursor=\(cursor)", as: ada).json
            #expect(rest["items"]?.arrayValue?.map { $0["learning_event"]?.stringValue } == [events[2]])
            #expect(rest["next_cursor"] == nil)
            // Three hours on, the kick-off has ended: attendance is recorded, and it is no longer upcoming.
            time.advance(hours: 3)
            let recorded = try await api.send(
                .post, "/v1/learning-events/\(events[0])/attendance", token: olga, ["attendees": [.string(adaID)]])
            #expect(recorded.status == .ok, "\(String(buffer: recorded.body))")
            let upcoming = try #require(try await list("upcoming=true", as: ada).json["items"]?.arrayValue)
            #expect(upcoming.map { $0["learning_event"]?.stringValue } == [events[1], events[2]])
            #expect(try await list("", as: ada).json["items"]?.arrayValue?.first?["attended"] == true)
            #expect(try await list("", as: otto).errorCode == "not_member")
            #expect(try await list("upcoming=soon", as: ada).errorCode == "invalid_parameter")
        }
    }
}
