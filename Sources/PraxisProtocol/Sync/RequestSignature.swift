import Crypto

/// What a device signs to authenticate one sync request: the RFC 8785 form of
///
/// ```json
/// {"body_sha256":"<base64url SHA-256 of the body bytes>","device":"<device id>","method":"POST",
///  "nonce":"<the Praxis-Nonce header>","path":"/v1/sync/push","protocol":"praxis-sync/1",
///  "timestamp":"2026-11-27T10:00:00.000Z"}
/// ```
///
/// `path` is the request target exactly as sent, query string included. The signature goes in the
/// `Praxis-Signature` header (base64url), the other values in `Praxis-Device`, `Praxis-Timestamp`
/// and `Praxis-Nonce`.
public struct RequestSignature: Sendable, Hashable {
    public var method: String
    public var path: String
    public var bodySHA256: [UInt8]
    public var device: String
    public var timestamp: Timestamp
    public var nonce: String

    public init(method: String, path: String, body: [UInt8], device: String, timestamp: Timestamp, nonce: String) {
        self.method = method
        self.path = path
        self.bodySHA256 = Array(SHA256.hash(data: body))
        self.device = device
        self.timestamp = timestamp
        self.nonce = nonce
    }

    /// The bytes the device signs.
    public var signedBytes: [UInt8] {
        CanonicalJSON.encode([
            "body_sha256": .string(Base64URL.encode(bodySHA256)), "device": .string(device),
            "method": .string(method), "nonce": .string(nonce), "path": .string(path),
            "protocol": .string(SyncProtocol.version), "timestamp": .string(timestamp.rfc3339),
        ])
    }

    /// The four headers for this request, signed with `key`.
    public func headers(signedWith key: DeviceSigningKey) -> [(name: String, value: String)] {
        [
            (SyncProtocol.Header.device, device), (SyncProtocol.Header.timestamp, timestamp.rfc3339),
            (SyncProtocol.Header.nonce, nonce), (SyncProtocol.Header.signature, Base64URL.encode(key.sign(signedBytes))),
        ]
    }
}
