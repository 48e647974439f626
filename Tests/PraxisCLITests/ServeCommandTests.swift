import Foundation
import PraxisProjections
import PraxisProtocol
import PraxisStore
import Testing

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

@Suite("praxis serve")
struct ServeCommandTests {
    @Test("serve creates its data folder, answers /health, and stops cleanly on SIGTERM")
    func serveLifecycle() async throws {
        let folder = DataFolder()
        let server = try await ServerProcess(["--data", folder.path])
        let (data, response) = try await URLSession.shared.data(from: URL(string: server.base + "/health")!)
        #expect((response as? HTTPURLResponse)?.statusCode == 200)
        #expect(try JSONParser.parse(Array(data))["status"] == "ok")

        let token = try String(contentsOfFile: folder.url.appendingPathComponent("operator.token").path, encoding: .utf8)
        #expect(Base64URL.decode(token.trimmingCharacters(in: .newlines))?.count == 32)
        let attributes = try FileManager.default.attributesOfItem(
            atPath: folder.url.appendingPathComponent("operator.token").path)
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)

        // The projection engine runs inside serve: a write is readable at its position.
        let operatorToken = token.trimmingCharacters(in: .newlines)
        let member = try await server.send(
            "POST", "/v1/operator/members", token: operatorToken,
            [
                "display_name": "Ada", "email": "ada@example.com", "region": "EMEA", "department": "R&D",
            ])
        let memberID = try #require(member["ids"]?["member"]?.stringValue)
        let minted = try await server.send("POST", "/v1/operator/members/\(memberID)/tokens", token: operatorToken, nil)
        let ada = try #require(minted["token"]?.stringValue)
        let community = try await server.send(
            "POST", "/v1/communities", token: ada, ["name": "Swift", "kind": "practice", "visibility": "open"])
        let communityID = try #require(community["ids"]?["community"]?.stringValue)
        let posted = try await server.send(
            "POST", "/v1/communities/\(communityID)/posts", token: ada, ["title": "Hi", "body": "First"])
        let position = try #require(posted["events"]?.arrayValue?.last?["position"]?.integerValue)
        let feed = try await server.send(
            "GET", "/v1/communities/\(communityID)/posts?min_position=\(position)", token: ada, nil)
        #expect(feed["items"]?.arrayValue?.first?["title"] == "Hi")

        #expect(server.stop() == 0)
        #expect(server.output.contains("stopped"))
        #expect(FileManager.default.fileExists(atPath: folder.logPath))
    }

}

@Suite("praxis audit replay and serve --read-only")
struct ReplayCommandTests {
    @Test("a replay at a past position has exactly that position's read models, and serves them read-only")
    func replay() async throws {
        let live = DataFolder()
        let past = DataFolder()
        #expect(
            try PraxisProcess.run(["demo", "--members", "40", "--communities", "4", "--days", "7", "--data", live.path]).status
                == 0)
        let store = try SQLiteEventStore(path: live.logPath, options: .init(createIfMissing: false))
        let head = try await store.head()
        let position = LogPosition(head.value / 2)
        let replayed = try PraxisProcess.run([
            "audit", "replay", "--as-of", "\(position)", "--out", past.path, "--data", live.path,
        ])
        #expect(replayed.status == 0, "\(replayed.standardError)")
        // The reference: the live log's read models, built only as far as that position.
        let scratch = live.url.appendingPathComponent("reference.sqlite")
        let engine = ProjectionEngine(
            store: store, readModels: try ReadModelStore(path: scratch.path), projections: ProjectionCatalog.all)
        try await engine.prepare()
        try await engine.catchUp(through: position)
        let expected = try await engine.digests().map(\.description)
        let printed = replayed.standardOutput.split(separator: "\n").dropFirst().map(String.init)
        #expect(printed == expected)
        #expect(expected.allSatisfy { $0.contains(" \(position) ") })
        #expect(try await store.head() == head, "the live log is untouched")

        // By time: the last event at or before the position's server time.
        let time = try #require(try await store.read(from: position, limit: 1).first).serverTime
        let byTime = DataFolder()
        let timed = try PraxisProcess.run(["audit", "replay", "--as-of", time.rfc3339, "--out", byTime.path, "--data", live.path])
        // Events of one batch share a server time, so the position at that time is this one or a later one of its batch.
        let resolved = timed.standardOutput.split(separator: "\n").first.flatMap { line in
            line.split(separator: " ").dropFirst(4).first.flatMap { Int64($0) }
        }
        let sameTime = try await store.read(from: position, limit: 10).filter { $0.serverTime == time }.map(\.position.value)
        #expect(resolved.map(sameTime.contains) == true, "\(timed.standardOutput)")

        // Served read-only.
        let server = try await ServerProcess(["--data", past.path, "--read-only"])
        let token = try String(contentsOfFile: past.url.appendingPathComponent("operator.token").path, encoding: .utf8)
            .trimmingCharacters(in: .newlines)
        let health = try await server.send("GET", "/health", token: "")
        #expect(health["head"]?.integerValue == position.value)
        let refused = try await server.send(
            "POST", "/v1/operator/members", token: token,
            ["display_name": "Eve", "email": "eve@example.com", "region": "EMEA", "department": "R&D"])
        #expect(refused["error"]?["code"] == "read_only")
        #expect(server.stop() == 0)
    }
}

@Suite("praxis audit verify --url")
struct RemoteAuditTests {
    @Test("an auditor verifies a running server against the key they pinned, and only that key")
    func remote() async throws {
        let folder = DataFolder()
        #expect(
            try PraxisProcess.run(["demo", "--members", "30", "--communities", "3", "--days", "5", "--data", folder.path]).status
                == 0)
        let server = try await ServerProcess(["--data", folder.path])
        let token = try String(contentsOfFile: folder.url.appendingPathComponent("operator.token").path, encoding: .utf8)
            .trimmingCharacters(in: .newlines)
        let key = try String(contentsOfFile: folder.url.appendingPathComponent("server.key").path, encoding: .utf8)
        let rawKey = try #require(Base64URL.decode(key.trimmingCharacters(in: .newlines)))
        let publicKey = Base64URL.encode(try #require(TreeHeadKey(rawRepresentation: rawKey)).publicKey)
        let url = server.base
        let verified = try PraxisProcess.run(["audit", "verify", "--url", url, "--token=\(token)", "--public-key=\(publicKey)"])
        #expect(verified.status == 0, "\(verified.standardOutput)\(verified.standardError)")
        #expect(verified.standardOutput.contains("device signatures of \(url) verified"))
        let stranger = Base64URL.encode(TreeHeadKey().publicKey)
        let refused = try PraxisProcess.run(["audit", "verify", "--url", url, "--token=\(token)", "--public-key=\(stranger)"])
        #expect(refused.status == 1)
        #expect(refused.standardOutput.contains("signature"))
        let unauthorised = try PraxisProcess.run([
            "audit", "verify", "--url", url, "--token", "nope", "--public-key=\(publicKey)",
        ])
        #expect(unauthorised.status == 1)
        #expect(server.stop() == 0)
    }
}
