import Foundation
import PraxisProtocol
import Testing

@Suite("Event envelopes")
struct EventEnvelopeTests {
    struct HashVector: Decodable {
        let envelope: JSONValue
        let canonical: String
        let hash: String
    }

    struct HashVectors: Decodable { let vectors: [HashVector] }

    @Test("canonical bytes and hashes match the vectors")
    func hashVectors() throws {
        let vectors = try Vectors.load("event-hashes.json", as: HashVectors.self).vectors
        #expect(vectors.count >= 3)
        for vector in vectors {
            let envelope = try EventEnvelope(json: vector.envelope)
            let event = AuthoredEvent(envelope)
            #expect(String(decoding: event.canonicalBytes, as: UTF8.self) == vector.canonical)
            #expect(event.hash.base64URL == vector.hash)
            let received = try AuthoredEvent(canonicalBytes: Array(vector.canonical.utf8))
            #expect(received == event)
        }
    }

    static let validJSON: JSONValue = [
        "id": "0190f5a0-8c1e-7b3a-9f00-2a6c1d4e5f60", "stream": "community/abc", "type": "community_created",
        "schema_version": 1, "payload": [:], "metadata": [:],
    ]

    static func replacing(_ key: String, with value: JSONValue?, in path: [String] = []) -> JSONValue {
        guard case .object(var members) = validJSON else { return validJSON }
        if path.isEmpty {
            members[key] = value
        } else if case .object(var inner)? = members[path[0]] {
            inner[key] = value
            members[path[0]] = .object(inner)
        }
        return .object(members)
    }

    @Test(
        "malformed fields are rejected with the field's name",
        arguments: [
            (replacing("id", with: "0190F5A0-8C1E-7B3A-9F00-2A6C1D4E5F60"), "id"),
            (replacing("id", with: "not-a-uuid"), "id"),
            (replacing("id", with: nil), "id"),
            (replacing("stream", with: "Community/abc"), "stream"),
            (replacing("stream", with: "community//abc"), "stream"),
            (replacing("stream", with: "community/"), "stream"),
            (replacing("stream", with: .string("c/" + String(repeating: "x", count: 199))), "stream"),
            (replacing("type", with: "PostCreated"), "type"),
            (replacing("type", with: 3), "type"),
            (replacing("schema_version", with: 0), "schema_version"),
            (replacing("schema_version", with: 1.5), "schema_version"),
            (replacing("payload", with: [1, 2]), "payload"),
            (replacing("extra", with: true), "extra"),
            (replacing("client_time", with: "2026-11-27T12:00:00Z", in: ["metadata"]), "metadata.client_time"),
            (replacing("actor", with: "nobody", in: ["metadata"]), "metadata.actor"),
            (replacing("mood", with: "happy", in: ["metadata"]), "metadata.mood"),
        ])
    func rejectsField(json: JSONValue, field: String) {
        #expect {
            try EventEnvelope(json: json)
        } throws: { error in
            (error as? EnvelopeError)?.code == .invalidField && (error as? EnvelopeError)?.field == field
        }
    }

    @Test("received bytes must be canonical")
    func nonCanonicalBytes() throws {
        let canonical = String(
            decoding: AuthoredEvent(try EventEnvelope(json: Self.validJSON)).canonicalBytes, as: UTF8.self)
        #expect(throws: Never.self) { try AuthoredEvent(canonicalBytes: Array(canonical.utf8)) }
        for variant in [
            " " + canonical, canonical.replacingOccurrences(of: "\"schema_version\":1", with: "\"schema_version\":1.0"),
        ] {
            #expect {
                try AuthoredEvent(canonicalBytes: Array(variant.utf8))
            } throws: { error in
                (error as? EnvelopeError)?.code == .nonCanonical
            }
        }
        #expect {
            try AuthoredEvent(canonicalBytes: Array(#"{"id":1,"id":2}"#.utf8))
        } throws: { error in
            (error as? EnvelopeError)?.code == .invalidJSON && (error as? EnvelopeError)?.parseError?.code == .duplicateKey
        }
    }

    @Test("the hash changes with every author-written field")
    func hashCoversEveryField() throws {
        let base = try EventEnvelope(json: Self.validJSON)
        var variants: [EventEnvelope] = []
        var changed = base
        changed.id = UUID()
        variants.append(changed)
        changed = base
        changed.stream = try #require(StreamName("community/abd"))
        variants.append(changed)
        changed = base
        changed.type = try #require(EventTypeName("community_renamed"))
        variants.append(changed)
        changed = base
        changed.schemaVersion = 2
        variants.append(changed)
        changed = base
        changed.payload = ["name": "x"]
        variants.append(changed)
        changed = base
        changed.metadata.clientTime = Timestamp(millisecondsSinceEpoch: 1)
        variants.append(changed)
        let hashes = Set(([base] + variants).map { AuthoredEvent($0).hash })
        #expect(hashes.count == variants.count + 1)
    }

    @Test("canonical bytes written member by member are the encoder's bytes of the JSON, for every metadata subset")
    func canonicalBytesMatchTheEncoder() throws {
        var random = SeededRandom(seed: 64)
        let streams = ["post/a", "community/x-1", "member/0190f5a0.8c1e:7b3a"]
        for subset in 0..<64 {
            for _ in 0..<8 {
                var payload: [String: JSONValue] = [:]
                for _ in 0..<Int.random(in: 0..<6, using: &random) {
                    payload[JSONValue.randomString(using: &random)] = .random(depth: 3, using: &random)
                }
                let uuid = { (random: inout SeededRandom) in
                    UUID.version7(at: Timestamp(millisecondsSinceEpoch: 1), using: &random)
                }
                let metadata = EventMetadata(
                    actor: subset & 1 != 0 ? uuid(&random) : nil,
                    device: subset & 2 != 0 ? uuid(&random) : nil,
                    clientTime: subset & 4 != 0
                        ? Timestamp(millisecondsSinceEpoch: Int64.random(in: 0...4_102_444_800_000, using: &random)) : nil,
                    logicalClock: subset & 8 != 0
                        ? Int64.random(in: 0...EventMetadata.maximumLogicalClock, using: &random) : nil,
                    causationID: subset & 16 != 0 ? uuid(&random) : nil,
                    correlationID: subset & 32 != 0 ? uuid(&random) : nil)
                let envelope = EventEnvelope(
                    id: uuid(&random), stream: try #require(StreamName(streams[subset % streams.count])),
                    type: try #require(EventTypeName("post_created")),
                    schemaVersion: Int64.random(in: 1...EventEnvelope.maximumSchemaVersion, using: &random),
                    payload: payload, metadata: metadata)
                #expect(envelope.canonicalBytes == CanonicalJSON.encode(envelope.json))
                #expect(try EventEnvelope(canonicalBytes: envelope.canonicalBytes) == envelope)
            }
        }
    }
}
