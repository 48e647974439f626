import Foundation
import Hummingbird
import HummingbirdTesting
import PraxisProtocol
import PraxisServer
import PraxisStore
import Testing

@Suite("HTTP: audit")
struct AuditRouteTests {
    static func hash(_ value: JSONValue?) throws -> MerkleTree.Hash {
        try #require(value?.stringValue.flatMap(Base64URL.decode))
    }

    @Test("an auditor checks an event's inclusion and the log's consistency from signed heads alone")
    func auditorView() async throws {
        let fixture = try ServerFixture()
        try await fixture.seed(120)  // three batches of 50, 50 and 20
        try await fixture.application.test(.router) { client in
            let head = try await client.execute(uri: "/v1/audit/tree-head", method: .get).json
            let size = try #require(head["tree_size"]?.integerValue)
            #expect(size == 120)
            let signed = SignedTreeHead(
                head: TreeHead(
                    treeSize: size, rootHash: try Self.hash(head["root_hash"]),
                    timestamp: try #require(head["timestamp"]?.stringValue.flatMap(Timestamp.init(rfc3339:)))),
                keyID: try #require(head["key_id"]?.stringValue), signature: try Self.hash(head["signature"]))
            #expect(signed.isSigned(by: fixture.treeHeadKey.publicKey))
            // The leaf from the operator's log, the path from the audit endpoint.
            let event = try #require(
                try await client.execute(uri: "/v1/log?from=77&limit=1", method: .get, headers: operatorHeaders).json["events"]?
                    .arrayValue?.first)
            let leaf = MerkleLeaf(
                position: 77, eventHash: try #require(event["hash"]?.stringValue.flatMap(EventHash.init(base64URL:))),
                serverTime: try #require(event["server_time"]?.stringValue.flatMap(Timestamp.init(rfc3339:))))
            let inclusion = try await client.execute(uri: "/v1/audit/proofs/inclusion?position=77&tree_size=120", method: .get)
                .json
            let path = try (inclusion["proof"]?.arrayValue ?? []).map { try Self.hash($0) }
            #expect(
                MerkleTree.verifyInclusion(leafHash: leaf.hash, index: 76, size: 120, proof: path, root: signed.head.rootHash))
            // The first head is a prefix of the last.
            let heads = try #require(
                try await client.execute(uri: "/v1/audit/tree-heads", method: .get).json["tree_heads"]?.arrayValue)
            #expect(heads.compactMap { $0["tree_size"]?.integerValue } == [50, 100, 120])
            let consistency = try await client.execute(uri: "/v1/audit/proofs/consistency?first=50&second=120", method: .get).json
            #expect(
                MerkleTree.verifyConsistency(
                    first: 50, second: 120, firstRoot: try Self.hash(heads[0]["root_hash"]), secondRoot: signed.head.rootHash,
                    proof: try (consistency["proof"]?.arrayValue ?? []).map { try Self.hash($0) }))
            // Bad requests.
            let missing = try await client.execute(uri: "/v1/audit/proofs/inclusion?position=3", method: .get)
            #expect(missing.status == .badRequest && missing.errorCode == "invalid_parameter")
            let beyond = try await client.execute(uri: "/v1/audit/proofs/inclusion?position=3&tree_size=500", method: .get)
            #expect(beyond.status == .notFound && beyond.errorCode == "out_of_range")
        }
    }
}
