import Foundation
import PraxisProtocol
import Testing

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// Two `praxis serve` processes on one PostgreSQL log: signed pushes through both at once, pulls
/// from either see every event once in the same order, and both nodes' read models agree.
@Suite("praxis serve: two nodes on PostgreSQL")
struct TwoNodeTests {
    /// A device as the test drives it over real HTTP.
    struct Device {
        let id = UUID().uuidString.lowercased()
        let key = DeviceSigningKey(.ed25519)
        let member: String
        var batch: Int64 = 1
        var clock: Int64 = 0

        func request(_ base: String, _ method: String, _ path: String, body: [UInt8] = []) async throws -> JSONValue {
            var request = URLRequest(url: URL(string: base + path)!)
            request.httpMethod = method
            let nonce = Base64URL.encode((0..<16).map { _ in UInt8.random(in: 0...255) })
            let signature = RequestSignature(
                method: method, path: path, body: body, device: id, timestamp: Timestamp(Date()), nonce: nonce)
            for (name, value) in signature.headers(signedWith: key) { request.setValue(value, forHTTPHeaderField: name) }
            if !body.isEmpty {
                request.setValue("application/json", forHTTPHeaderField: "Content-Type")
                request.httpBody = Data(body)
            }
            let (data, _) = try await URLSession.shared.data(for: request)
            return try JSONParser.parse(Array(data))
        }

        mutating func posts(_ count: Int, in community: String) -> PushBatch {
            let events = (0..<count).map { index in
                clock += 1
                let post = UUID().uuidString.lowercased()
                let envelope = EventEnvelope(
                    id: UUID(), stream: StreamName("post/\(post)")!, type: EventTypeName("post_created")!, schemaVersion: 2,
                    payload: [
                        "post": .string(post), "community": .string(community), "author": .string(member),
                        "kind": "discussion", "title": .string("Batch \(batch) post \(index)"), "body": "…", "cites": [],
                        "mentions": [], "tags": [],
                    ],
                    metadata: EventMetadata(actor: UUID(uuidString: member), device: UUID(uuidString: id), logicalClock: clock))
                return AuthoredEvent(envelope).signed(with: key, keyID: id)
            }
            defer { batch += 1 }
            return PushBatch(device: id, number: batch, events: events)
        }

        /// Every position this device's member may see, pulled page by page from `bases` in turn
        /// (each page's cursor taken to the next node).
        func pullAll(_ bases: String...) async throws -> [Int64] {
            var positions: [Int64] = []
            var cursor: String?
            for number in 0..<500 {
                let query = "/v1/sync/pull?limit=50" + (cursor.map { "&cursor=\($0)" } ?? "")
                let page = try await request(bases[number % bases.count], "GET", query)
                positions += (page["events"]?.arrayValue ?? []).compactMap { $0["position"]?.integerValue }
                cursor = page["next_cursor"]?.stringValue
                if page["has_more"] == false { return positions }
            }
            Issue.record("the pull did not end")
            return positions
        }
    }

    @Test("concurrent signed pushes through two nodes; pulls from either agree; digests agree")
    func twoNodes() async throws {
        let url = try newPostgresDatabaseURL("praxis_two_nodes")
        let first = DataFolder()
        let second = DataFolder()
        let store = ["--store", url]
        let added = try PraxisProcess.run(
            [
                "members", "add", "--name", "Ada", "--email", "ada@example.com", "--region", "EMEA", "--department", "R&D",
                "--data", first.path,
            ] + store)
        #expect(added.status == 0, "\(added.standardError)")
        let ada = added.standardOutput.trimmingCharacters(in: .whitespacesAndNewlines)
        let guild = try PraxisProcess.run(
            [
                "communities", "create", "--owner", ada, "--name", "Guild", "--kind", "practice", "--visibility", "open",
                "--data", first.path,
            ] + store
        ).standardOutput.trimmingCharacters(in: .whitespacesAndNewlines)
        // Both nodes sign with the same server key, so receipts and cursors hold across them.
        try FileManager.default.createDirectory(at: second.url, withIntermediateDirectories: true)
        try FileManager.default.copyItem(
            at: first.url.appendingPathComponent("server.key"), to: second.url.appendingPathComponent("server.key"))
        func invite() throws -> String {
            let answer = try PraxisProcess.run(["devices", "invite", ada, "--json", "--data", first.path] + store)
            return try #require(try JSONParser.parse(Array(answer.standardOutput.utf8.dropLast()))["code"]?.stringValue)
        }
        let nodeA = try await ServerProcess(["--data", first.path] + store)
        let nodeB = try await ServerProcess(["--data", second.path] + store)
        var phones = [Device(member: ada), Device(member: ada)]
        for (index, node) in [nodeA, nodeB].enumerated() {
            var request = URLRequest(url: URL(string: node.base + "/v1/sync/enroll")!)
            request.httpMethod = "POST"
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
            request.httpBody = Data(
                CanonicalJSON.encode([
                    "code": .string(try invite()), "device": .string(phones[index].id), "algorithm": "ed25519",
                    "public_key": .string(Base64URL.encode(phones[index].key.publicKey)),
                ]))
            let (data, _) = try await URLSession.shared.data(for: request)
            #expect(try JSONParser.parse(Array(data))["member"]?.stringValue == ada)
        }
        // Ten batches of five posts through each node, at the same time.
        let batches = (0..<2).map { index in (0..<10).map { _ in phones[index].posts(5, in: guild) } }
        let accepted = try await withThrowingTaskGroup(of: [Int64].self) { group in
            for (index, base) in [nodeA.base, nodeB.base].enumerated() {
                let (phone, batches) = (phones[index], batches[index])
                group.addTask {
                    var positions: [Int64] = []
                    for batch in batches {
                        // A 503 (the log busy) is retried with the same batch, as PROTOCOL.md §5.2 says.
                        var answer = try await phone.request(base, "POST", "/v1/sync/push", body: batch.body)
                        for _ in 0..<5 where answer["error"]?["code"] == "unavailable" {
                            try await Task.sleep(for: .seconds(1))
                            answer = try await phone.request(base, "POST", "/v1/sync/push", body: batch.body)
                        }
                        let results = answer["results"]?.arrayValue ?? []
                        #expect(results.count == 5 && results.allSatisfy { $0["status"] == "accepted" }, "\(answer)")
                        positions += results.compactMap { $0["position"]?.integerValue }
                    }
                    return positions
                }
            }
            return try await group.reduce(into: []) { $0 += $1 }
        }
        #expect(accepted.count == 100)
        #expect(Set(accepted).count == 100)
        // A batch answered by node A, re-sent to node B after a lost answer: the same answers, nothing new.
        let head = try await nodeA.send("GET", "/health", token: "")["head"]?.integerValue
        let again = try await phones[0].request(nodeB.base, "POST", "/v1/sync/push", body: batches[0][0].body)
        #expect(again["results"]?.arrayValue?.compactMap { $0["position"]?.integerValue }.allSatisfy(accepted.contains) == true)
        #expect(again["results"]?.arrayValue?.count == 5)
        #expect(try await nodeB.send("GET", "/health", token: "")["head"]?.integerValue == head)
        let fromA = try await phones[0].pullAll(nodeA.base)
        let fromB = try await phones[0].pullAll(nodeB.base)
        #expect(fromA == fromB, "both nodes serve the same events in the same order")
        let alternating = try await phones[0].pullAll(nodeA.base, nodeB.base)
        #expect(alternating == fromA, "a cursor one node issued, the other serves on from (they number communities alike)")
        #expect(Set(fromA).count == fromA.count, "no event twice")
        #expect(Set(accepted).isSubset(of: Set(fromA)), "every accepted event is pulled")
        #expect(fromA == fromA.sorted())
        #expect(nodeA.stop() == 0)
        #expect(nodeB.stop() == 0)
        let digestA = try PraxisProcess.run(["projections", "digest", "--data", first.path] + store)
        let digestB = try PraxisProcess.run(["projections", "digest", "--data", second.path] + store)
        #expect(digestA.status == 0, "\(digestA.standardError)")
        #expect(!digestA.standardOutput.isEmpty)
        #expect(digestA.standardOutput == digestB.standardOutput, "both nodes' read models agree at the same position")
    }
}
