import Foundation
import PraxisProtocol
import Testing

/// Answers assembled from canonical pieces (stored event bytes, pre-encoded members) must be the
/// very bytes the plain encoder gives for the decoded value: clients verify signatures over them.
@Suite("Encoded objects and events' wire bytes")
struct EncodedObjectTests {
    @Test("an object of encoded members writes the canonical bytes of the decoded object")
    func objectMatchesTheEncoder() throws {
        var random = SeededRandom(seed: 7)
        for _ in 0..<300 {
            var members: [String: JSONValue] = [:]
            for _ in 0..<Int.random(in: 0..<7, using: &random) {
                members[JSONValue.randomString(using: &random)] = .random(depth: 3, using: &random)
            }
            var encoded = EncodedObject()
            for (key, value) in members {
                if Bool.random(using: &random) {
                    encoded.set(key, encoded: CanonicalJSON.encode(value))
                } else {
                    encoded.set(key, value)
                }
            }
            let bytes = encoded.bytes
            #expect(bytes == CanonicalJSON.encode(.object(members)))
            #expect(EncodedObject(members) == encoded)
            if let key = members.keys.first {
                var fewer = members
                fewer[key] = nil
                #expect(encoded.removing(key).bytes == CanonicalJSON.encode(.object(fewer)))
            }
        }
        let elements: [JSONValue] = [1, "two", [3], ["four": nil]]
        #expect(CanonicalJSON.array(encoded: elements.map(CanonicalJSON.encode)) == CanonicalJSON.encode(.array(elements)))
        #expect(CanonicalJSON.array(encoded: []) == Array("[]".utf8))
    }

    @Test("signing an encoded object gives the object the plain signer gives, byte for byte")
    func signingMatches() throws {
        let key = try #require(TreeHeadKey(rawRepresentation: [UInt8](repeating: 9, count: 32)))
        let members: [String: JSONValue] = [
            "events": [["position": 1]], "has_more": false, "zeta": "after signature", "head": 3,
        ]
        let plain = CanonicalJSON.encode(key.sign(members))
        let encoded = key.sign(EncodedObject(members)).bytes
        #expect(encoded == plain)
        #expect(SignedObject.problem(with: try JSONParser.parse(encoded), publicKey: key.publicKey) == nil)
    }

    @Test("an event's wire bytes are the canonical form of its wire JSON, signed or not")
    func wireBytes() throws {
        var random = SeededRandom(seed: 11)
        let streams = ["post/a", "community/x-1", "member/0190f5a0.8c1e:7b3a", "mentoring/z_9"]
        for index in 0..<300 {
            var payload: [String: JSONValue] = [:]
            for _ in 0..<Int.random(in: 0..<5, using: &random) {
                payload[JSONValue.randomString(using: &random)] = .random(depth: 3, using: &random)
            }
            // Members named as the envelope's own, inside the payload, must not confuse the splice.
            payload["stream"] = ["schema_version": 1, "stream": "post/a", "type": "x"]
            let envelope = EventEnvelope(
                id: UUID(), stream: try #require(StreamName(streams[index % streams.count])),
                type: try #require(EventTypeName(index % 2 == 0 ? "post_created" : "comment_added")),
                schemaVersion: Int64(1 + index % 3), payload: payload)
            let unsigned = AuthoredEvent(envelope)
            #expect(unsigned.wireBytes == CanonicalJSON.encode(unsigned.json))
            let signature = EventSignature(
                algorithm: index % 2 == 0 ? .ed25519 : .es256, keyID: JSONValue.randomString(using: &random),
                value: (0..<64).map { _ in UInt8.random(in: 0...255, using: &random) })
            let signed = try AuthoredEvent(canonicalBytes: unsigned.canonicalBytes, signature: signature)
            #expect(signed.wireBytes == CanonicalJSON.encode(signed.json))
            #expect(try AuthoredEvent(json: JSONParser.parse(signed.wireBytes)) == signed)
        }
    }
}
