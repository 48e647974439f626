/// JSON objects that carry their own signature in a `signature` member: the signed bytes are the
/// RFC 8785 form of the object without that member. Server answers (push results, receipts, pull
/// pages) are signed this way with the server's Ed25519 key, events with the device's key.
public enum SignedObject {
    /// The bytes a signature over `object` covers: its canonical form without `signature`.
    public static func signedBytes(of object: [String: JSONValue]) -> [UInt8] {
        var unsigned = object
        unsigned["signature"] = nil
        return CanonicalJSON.encode(.object(unsigned))
    }

    /// `object` with a `signature` member made by `sign` over its signed bytes.
    public static func sign(
        _ object: [String: JSONValue], algorithm: DeviceKeyAlgorithm, keyID: String, using sign: ([UInt8]) -> [UInt8]
    ) -> JSONValue {
        var signed = object
        let signature = EventSignature(algorithm: algorithm, keyID: keyID, value: sign(signedBytes(of: object)))
        signed["signature"] = signature.json
        return .object(signed)
    }

    /// `object` with a `signature` member made by `sign` over its canonical form without one: the
    /// same signature as ``sign(_:algorithm:keyID:using:)`` gives the decoded object.
    public static func sign(
        _ object: EncodedObject, algorithm: DeviceKeyAlgorithm, keyID: String, using sign: ([UInt8]) -> [UInt8]
    ) -> EncodedObject {
        var signed = object.removing("signature")
        let signature = EventSignature(algorithm: algorithm, keyID: keyID, value: sign(signed.bytes))
        signed.set("signature", signature.json)
        return signed
    }

    /// Why `object`'s signature does not verify with `publicKey`, or `nil` when it does.
    public static func problem(with object: JSONValue, publicKey: [UInt8]) -> String? {
        guard case .object(let members) = object else { return "not a JSON object" }
        guard let value = members["signature"] else { return "has no signature" }
        let signature: EventSignature
        do {
            signature = try EventSignature(json: value)
        } catch {
            return "its signature is malformed: \(error)"
        }
        guard signature.verifies(signedBytes(of: members), publicKey: publicKey) else {
            return "the \(signature.algorithm.rawValue) signature of key \(signature.keyID) does not match the object"
        }
        return nil
    }
}

extension TreeHeadKey {
    /// `object` signed with the server key (algorithm `ed25519`, key id ``keyID``).
    public func sign(_ object: [String: JSONValue]) -> JSONValue {
        SignedObject.sign(object, algorithm: .ed25519, keyID: keyID) { signature(over: $0) }
    }

    /// `object` signed with the server key (algorithm `ed25519`, key id ``keyID``).
    public func sign(_ object: EncodedObject) -> EncodedObject {
        SignedObject.sign(object, algorithm: .ed25519, keyID: keyID) { signature(over: $0) }
    }
}
