import Crypto

/// The signature algorithms a device key may use.
public enum DeviceKeyAlgorithm: String, Codable, Sendable, CaseIterable {
    /// Ed25519; the public key is its 32 raw bytes.
    case ed25519
    /// ECDSA on P-256 with SHA-256 (keys in a phone's Secure Enclave or StrongBox); the public key
    /// is its 65-byte uncompressed X9.63 form (`04 ‖ x ‖ y`).
    case es256

    /// Whether `bytes` are a valid public key of this algorithm.
    public func isValidPublicKey(_ bytes: [UInt8]) -> Bool {
        switch self {
        case .ed25519:
            return bytes.count == 32 && (try? Curve25519.Signing.PublicKey(rawRepresentation: bytes)) != nil
        case .es256:
            return bytes.count == 65 && (try? P256.Signing.PublicKey(x963Representation: bytes)) != nil
        }
    }
}
