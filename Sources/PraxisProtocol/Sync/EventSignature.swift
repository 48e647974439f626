/// A device's signature over an event's canonical bytes (the event object without its
/// `signature` member, in RFC 8785 form).
///
/// Wire form: `{"algorithm": "ed25519", "key_id": "<device id>", "value": "<base64url>"}`.
public struct EventSignature: Sendable, Hashable {
    public var algorithm: DeviceKeyAlgorithm
    /// The signing device's id; the log says which public key it had at each position.
    public var keyID: String
    /// 64 bytes for either algorithm (`r ‖ s` for es256).
    public var value: [UInt8]

    public init(algorithm: DeviceKeyAlgorithm, keyID: String, value: [UInt8]) {
        self.algorithm = algorithm
        self.keyID = keyID
        self.value = value
    }

    /// Signs `bytes` with `key` for the device `keyID`.
    public init(signing bytes: [UInt8], with key: DeviceSigningKey, keyID: String) {
        self.init(algorithm: key.algorithm, keyID: keyID, value: key.sign(bytes))
    }

    /// Whether this is `publicKey`'s signature over `bytes`.
    public func verifies(_ bytes: [UInt8], publicKey: [UInt8]) -> Bool {
        algorithm.isValidSignature(value, of: bytes, publicKey: publicKey)
    }

    public var json: JSONValue {
        ["algorithm": .string(algorithm.rawValue), "key_id": .string(keyID), "value": .string(Base64URL.encode(value))]
    }

    /// Writes the canonical bytes of ``json`` straight into `output`: its three members in their
    /// canonical order, without building the object (every signed event of a pull page is written
    /// so, by ``AuthoredEvent/wireBytes(canonicalBytes:stream:type:signature:)``).
    func writeCanonical(into output: inout [UInt8]) {
        output.append(contentsOf: #"{"algorithm":"#.utf8)
        CanonicalJSON.writeString(algorithm.rawValue, into: &output)
        output.append(contentsOf: #","key_id":"#.utf8)
        CanonicalJSON.writeString(keyID, into: &output)
        output.append(contentsOf: #","value":""#.utf8)
        output.append(contentsOf: Base64URL.encode(value).utf8)
        output.append(contentsOf: #""}"#.utf8)
    }

    public init(json: JSONValue, path: String = "signature") throws(EnvelopeError) {
        let fields = try ObjectFields(json, path: path, allowed: ["algorithm", "key_id", "value"])
        guard let algorithm = DeviceKeyAlgorithm(rawValue: try fields.string("algorithm")) else {
            throw .invalidField(fields.name("algorithm"), "must be ed25519 or es256")
        }
        guard let value = Base64URL.decode(try fields.string("value")), value.count == 64 else {
            throw .invalidField(fields.name("value"), "must be 64 bytes in unpadded base64url")
        }
        self.init(algorithm: algorithm, keyID: try fields.string("key_id"), value: value)
    }
}

extension AuthoredEvent {
    /// The event's wire form: the envelope's members plus `signature` when it has one.
    public var json: JSONValue {
        guard case .object(var members) = envelope.json else { return envelope.json }
        if let signature { members["signature"] = signature.json }
        return .object(members)
    }

    /// The canonical bytes of ``json``, made from ``canonicalBytes`` without decoding them
    /// (``wireBytes(canonicalBytes:stream:type:signature:)``).
    public var wireBytes: [UInt8] {
        Self.wireBytes(
            canonicalBytes: canonicalBytes, stream: envelope.stream.rawValue, type: envelope.type.rawValue,
            signature: signature) ?? CanonicalJSON.encode(json)
    }

    /// The wire form's canonical bytes for an event stored as `canonicalBytes` with `signature`,
    /// without decoding the bytes: the envelope's members, and a signature as the member between
    /// `schema_version` and `stream`, the envelope's last two. Those two are strings that need no
    /// escaping (``StreamName`` and ``EventTypeName`` allow none), so canonical bytes of an
    /// envelope of `stream` and `type` end with exactly `,"stream":"…","type":"…"}`, and nothing
    /// inside a string or a nested object can end the bytes that way. `nil` when they do not end
    /// so: the bytes are not such an envelope.
    public static func wireBytes(canonicalBytes: [UInt8], stream: String, type: String, signature: EventSignature?)
        -> [UInt8]?
    {
        // Written and compared byte by byte: every event of a pull page comes this way, and with
        // an interpolated string and a generic comparison this function was 4.7% of the server's
        // samples under pulls (2.1% so).
        var tail: [UInt8] = []
        tail.reserveCapacity(24 + stream.utf8.count + type.utf8.count)
        tail.append(contentsOf: #","stream":""#.utf8)
        tail.append(contentsOf: stream.utf8)
        tail.append(contentsOf: #"","type":""#.utf8)
        tail.append(contentsOf: type.utf8)
        tail.append(contentsOf: #""}"#.utf8)
        guard canonicalBytes.count > tail.count else { return nil }
        let start = canonicalBytes.count - tail.count
        for offset in tail.indices where canonicalBytes[start + offset] != tail[offset] { return nil }
        guard let signature else { return canonicalBytes }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(canonicalBytes.count + 160)
        bytes.append(contentsOf: canonicalBytes[..<(canonicalBytes.count - tail.count)])
        bytes.append(contentsOf: #","signature":"#.utf8)
        signature.writeCanonical(into: &bytes)
        bytes.append(contentsOf: tail)
        return bytes
    }

    /// Reads an event from its wire form. The signed bytes are the canonical form of the object
    /// without `signature`; whether the signature verifies is the caller's check.
    public init(json: JSONValue) throws(EnvelopeError) {
        guard case .object(var members) = json else { throw .invalidField("(root)", "must be a JSON object") }
        let signature = try members.removeValue(forKey: "signature").map { value throws(EnvelopeError) in
            try EventSignature(json: value)
        }
        let envelope = try EventEnvelope(json: .object(members))
        self.init(envelope, signature: signature)
    }
}
