import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import PraxisProjections
import PraxisProtocol
import PraxisServer
import PraxisStore
import Testing

@Suite("HTTP: reads from the projections")
struct ReadRouteTests {
    @Test("visibility at read time, the position header, reading one's own writes, stable pages")
    func reads() async throws {
        let fixture = try ServerFixture()
        let engine = Task {
            try await fixture.backend.engine.prepare(); try await fixture.backend.engine.run()
        }
        defer { engine.cancel() }
        try await fixture.application.test(.router) { raw in
            let api = CommandRouteTests.Client(client: raw)
            let (_, olga) = try await api.member("Olga")
            let (adaID, ada) = try await api.member("Ada")
            let (_, otto) = try await api.member("Otto")
            func create(_ visibility: String) async throws -> String {
                let body: JSONValue = ["name": .string(visibility), "kind": "practice", "visibility": .string(visibility)]
                return try #require(
                    try await api.send(.post, "/v1/communities", token: olga, body).json["ids"]?["community"]?.stringValue)
            }
            let open = try await create("open")
            let closed = try await create("closed")
            let secret = try await create("secret")
            _ = try await api.send(.post, "/v1/communities/\(open)/join", token: ada)
            var last = 0.0
            for index in 0..<25 {
                let written = try await api.send(
                    .post, "/v1/communities/\(open)/posts", token: ada,
                    ["kind": index % 5 == 0 ? "question" : "discussion", "title": .string("Post \(index)"), "body": "text"])
                last = try #require(try written.json["events"]?.arrayValue?.last?["position"]?.numberValue)
            }
            // Read your own write: wait for the projections to reach the last position.
            let first = try await raw.execute(
                uri: "/v1/communities/\(open)/posts?limit=10&min_position=\(Int(last))", method: .get,
                headers: [.authorization: "Bearer \(ada)"])
            #expect(first.status == .ok)
            #expect(Double(first.headers[HTTPField.Name("Praxis-Position")!] ?? "") ?? 0 >= last)
            let firstPage = try first.json
            #expect(firstPage["items"]?.arrayValue?.first?["title"] == "Post 24")
            let cursor = try #require(firstPage["next_cursor"]?.stringValue)
            // New posts between pages do not shift the next page.
            for index in 25..<28 {
                _ = try await api.send(
                    .post, "/v1/communities/\(open)/posts", token: ada, ["title": .string("Post \(index)"), "body": "x"])
            }
            let second = try await api.send(.get, "/v1/communities/\(open)/posts?limit=10&cursor=\(cursor)", token: ada)
            #expect(
                try second.json["items"]?.arrayValue?.compactMap { $0["title"]?.stringValue }
                    == (5...14).reversed().map { "Post \($0)" })
            let questions = try await api.send(
                .get, "/v1/communities/\(open)/posts?kind=question&unanswered=true&limit=100", token: otto)
            #expect(try questions.json["items"]?.arrayValue?.count == 5, "open communities are readable by everyone inside")
            // Visibility: closed content is for members, secret communities do not exist for outsiders.
            #expect(try await api.send(.get, "/v1/communities/\(closed)/posts", token: otto).errorCode == "not_member")
            #expect(try await api.send(.get, "/v1/communities/\(closed)/members", token: otto).status == .ok)
            #expect(try await api.send(.get, "/v1/communities/\(secret)/posts", token: otto).errorCode == "not_found")
            #expect(try await api.send(.get, "/v1/communities/\(secret)/members", token: otto).errorCode == "not_found")
            // The roster shows pending requests to owners only.
            _ = try await api.send(.post, "/v1/communities/\(closed)/requests", token: ada, ["message": "please"])
            let asOwner = try await api.send(.get, "/v1/communities/\(closed)/members?min_position=\(Int(last) + 4)", token: olga)
            #expect(try asOwner.json["pending"]?.arrayValue?.first?["member"]?.stringValue == adaID)
            let asOther = try await api.send(.get, "/v1/communities/\(closed)/members", token: ada)
            #expect(try asOther.json["pending"] == nil)
            #expect(try asOther.json["items"]?.arrayValue?.count == 1)
            // Bad parameters.
            #expect(
                try await api.send(.get, "/v1/communities/\(open)/posts?cursor=bogus", token: ada).errorCode == "invalid_cursor")
            #expect(
                try await api.send(.get, "/v1/communities/\(open)/posts?kind=gossip", token: ada).errorCode == "invalid_parameter"
            )
            #expect(
                try await api.send(.get, "/v1/communities/\(open)/posts?limit=500", token: ada).errorCode == "invalid_parameter")
            let beyond = try await api.send(.get, "/v1/communities/\(open)/posts?min_position=999999", token: ada)
            #expect(beyond.status == .badRequest)
            #expect(beyond.errorCode == "invalid_parameter", "a position never written is not waited for")
            // With the engine stopped, a position written but not yet applied is waited for, then 503.
            engine.cancel()
            _ = await engine.result
            let written = try await api.send(
                .post, "/v1/communities/\(open)/posts", token: ada, ["title": "Unseen", "body": "x"])
            let position = try #require(try written.json["events"]?.arrayValue?.last?["position"]?.numberValue)
            let behind = try await api.send(
                .get, "/v1/communities/\(open)/posts?min_position=\(Int(position))", token: ada)
            #expect(behind.status == .serviceUnavailable)
            #expect(behind.errorCode == "projection_behind")
            #expect(behind.headers[.retryAfter] == "1")
        }
    }
}

@Suite("HTTP: operator projection endpoints")
struct ProjectionRouteTests {
    @Test("status, a rebuild started over HTTP that swaps in, cancellation, unknown names")
    func operatorProjections() async throws {
        let fixture = try ServerFixture()
        try await fixture.seed(120)
        try await fixture.backend.engine.prepare()
        try await fixture.backend.engine.catchUp()
        try await fixture.application.test(.router) { client in
            let status = try await client.execute(uri: "/v1/operator/projections", method: .get, headers: operatorHeaders)
            let projections = try #require(try status.json["projections"]?.arrayValue)
            #expect(projections.count == ProjectionCatalog.all.count)
            #expect(projections.allSatisfy { $0["lag"] == 0 && $0["generation"] == 1 })
            let started = try await client.execute(
                uri: "/v1/operator/projections/community_feed/rebuild", method: .post, headers: operatorHeaders)
            #expect(started.status == .accepted)
            var generation: Int64 = 1
            for _ in 0..<200 where generation == 1 {
                try await Task.sleep(for: .milliseconds(20))
                generation = try await fixture.backend.engine.status().first { $0.name == "community_feed" }?.generation ?? 0
            }
            #expect(generation == 2)
            let cancelled = try await client.execute(
                uri: "/v1/operator/projections/search/rebuild", method: .delete, headers: operatorHeaders)
            #expect(cancelled.status == .ok)
            let unknown = try await client.execute(
                uri: "/v1/operator/projections/nope/rebuild", method: .post, headers: operatorHeaders)
            #expect(unknown.status == .notFound)
            let anonymous = try await client.execute(uri: "/v1/operator/projections", method: .get)
            #expect(anonymous.status == .unauthorized)
        }
    }
}

@Suite("HTTP: metrics")
struct MetricsRouteTests {
    @Test("GET /metrics shows each projection's lag, for the operator only")
    func lag() async throws {
        let fixture = try ServerFixture()
        try await fixture.seed(30)
        try await fixture.backend.engine.prepare()
        try await fixture.backend.engine.recordLag()
        try await fixture.application.test(.router) { client in
            let before = try await client.execute(uri: "/metrics", method: .get, headers: operatorHeaders)
            #expect(before.status == .ok)
            #expect(String(buffer: before.body).contains(#"praxis_projection_lag_events{projection="community_feed"} 30"#))
            try await fixture.backend.engine.catchUp()
            try await fixture.backend.engine.recordLag()
            let after = try await client.execute(uri: "/metrics", method: .get, headers: operatorHeaders)
            #expect(String(buffer: after.body).contains(#"praxis_projection_lag_events{projection="community_feed"} 0"#))
            #expect(try await client.execute(uri: "/metrics", method: .get).status == .unauthorized)
        }
    }
}
