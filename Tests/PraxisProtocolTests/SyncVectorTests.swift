import Foundation
import PraxisProtocol
import Testing

/// `Protocol/vectors/sync.json`, made by an independent implementation (Python `rfc8785` and
/// `cryptography`): our canonical bytes, hashes and signatures must agree with it.
@Suite("Protocol vectors: sync")
struct SyncVectorTests {
    static let vectors: JSONValue = {
        do {
            let bytes = try Data(contentsOf: Vectors.directory.appendingPathComponent("sync.json"))
            return try JSONParser.parse(Array(bytes))
        } catch {
            fatalError("Protocol/vectors/sync.json is unreadable: \(error)")
        }
    }()

    static func bytes(_ value: JSONValue?) throws -> [UInt8] {
        try #require(value?.stringValue.flatMap(Base64URL.decode))
    }

    static func key(_ name: String, _ algorithm: DeviceKeyAlgorithm) throws -> DeviceSigningKey {
        let key = try #require(DeviceSigningKey(algorithm, rawPrivateKey: try bytes(vectors["keys"]?[name]?["private_key"])))
        #expect(key.publicKey == (try bytes(vectors["keys"]?[name]?["public_key"])))
        return key
    }

    @Test("signed events: canonical bytes, hashes and signatures of both algorithms")
    func eventSignatures() throws {
        let cases = try #require(Self.vectors["event_signatures"]?.arrayValue)
        #expect(cases.count == 2)
        for vector in cases {
            let algorithm = try #require(vector["algorithm"]?.stringValue.flatMap(DeviceKeyAlgorithm.init))
            let event = try AuthoredEvent(json: try #require(vector["signed_event"]))
            #expect(event.canonicalBytes == Array(try #require(vector["canonical"]?.stringValue).utf8))
            #expect(event.hash.base64URL == vector["hash"]?.stringValue)
            let signature = try #require(event.signature)
            #expect(signature.algorithm == algorithm)
            #expect(signature.verifies(event.canonicalBytes, publicKey: try Self.bytes(vector["public_key"])))
            let key = try Self.key(algorithm == .ed25519 ? "device_ed25519" : "device_es256", algorithm)
            let ours = event.signed(with: key, keyID: signature.keyID)
            if algorithm == .ed25519 {
                #expect(ours.json == vector["signed_event"], "Ed25519 is deterministic: the same bytes")
            } else {
                #expect(ours.signature?.verifies(event.canonicalBytes, publicKey: key.publicKey) == true)
            }
            #expect(ours.json.objectValue?.keys.sorted() == vector["signed_event"]?.objectValue?.keys.sorted())
        }
        let tampered = try #require(Self.vectors["tampered_event"])
        let event = try AuthoredEvent(json: try #require(tampered["signed_event"]))
        #expect(event.signature?.verifies(event.canonicalBytes, publicKey: try Self.bytes(tampered["public_key"])) == false)
    }

    @Test("request signatures and the signed push batch")
    func requests() throws {
        for name in ["push_request", "pull_request"] {
            let vector = try #require(Self.vectors[name])
            let headers = try #require(vector["headers"]?.objectValue?.mapValues { $0.stringValue ?? "" })
            let body = Array(try #require(vector["body"]?.stringValue).utf8)
            let request = RequestSignature(
                method: try #require(vector["method"]?.stringValue), path: try #require(vector["path"]?.stringValue),
                body: body, device: try #require(headers["Praxis-Device"]),
                timestamp: try #require(headers["Praxis-Timestamp"].flatMap(Timestamp.init(rfc3339:))),
                nonce: try #require(headers["Praxis-Nonce"]))
            #expect(request.signedBytes == Array(try #require(vector["signed_bytes"]?.stringValue).utf8))
            let algorithm = try #require(vector["algorithm"]?.stringValue.flatMap(DeviceKeyAlgorithm.init))
            let key = try Self.key(algorithm == .ed25519 ? "device_ed25519" : "device_es256", algorithm)
            let theirs = try #require(headers["Praxis-Signature"].flatMap(Base64URL.decode))
            #expect(algorithm.isValidSignature(theirs, of: request.signedBytes, publicKey: key.publicKey))
            if algorithm == .ed25519 {
                let ours = Dictionary(uniqueKeysWithValues: request.headers(signedWith: key).map { ($0.name, $0.value) })
                #expect(ours == headers)
            }
        }
        let push = try #require(Self.vectors["push_request"])
        let body = Array(try #require(push["body"]?.stringValue).utf8)
        let batch = try PushBatch(json: try JSONParser.parse(body))
        #expect(batch.body == body, "the batch body is its own canonical form")
        #expect(batch.number == 1 && batch.events.count == 2)
        let device = try Self.bytes(Self.vectors["keys"]?["device_ed25519"]?["public_key"])
        for event in batch.events {
            #expect(event.signature?.verifies(event.canonicalBytes, publicKey: device) == true)
        }
    }

    @Test("server receipts and pull pages: signatures over the object without its signature")
    func serverSignatures() throws {
        let server = try #require(TreeHeadKey(rawRepresentation: try Self.bytes(Self.vectors["keys"]?["server"]?["private_key"])))
        #expect(server.publicKey == (try Self.bytes(Self.vectors["keys"]?["server"]?["public_key"])))
        #expect(server.keyID == Self.vectors["keys"]?["server"]?["key_id"]?.stringValue)
        for name in ["receipt", "pull_page"] {
            let signed = try #require(Self.vectors[name])
            #expect(SignedObject.problem(with: signed, publicKey: server.publicKey) == nil)
            var unsigned = try #require(signed.objectValue)
            unsigned["signature"] = nil
            #expect(server.sign(unsigned) == signed, "\(name): Ed25519 gives the same bytes")
        }
        let forged = try #require(Self.vectors["forged_pull_page"]?["page"])
        #expect(SignedObject.problem(with: forged, publicKey: server.publicKey) != nil)
    }
}
