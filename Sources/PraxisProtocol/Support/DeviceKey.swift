import Crypto

/// The signature algorithms a device key may use.
public enum DeviceKeyAlgorithm: String, Codable, Sendable, CaseIterable {
    /// Ed25519; the public key is its 32 raw bytes, a signature 64 bytes.
    case ed25519
    /// ECDSA on P-256 with SHA-256 (keys in a phone's Secure Enclave or StrongBox); the public key
    /// is its 65-byte uncompressed X9.63 form (`04 ‖ x ‖ y`), a signature the raw 64 bytes `r ‖ s`.
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

    /// Whether `signature` is `publicKey`'s signature over `message`; `false` for malformed keys
    /// and signatures of the wrong length.
    public func isValidSignature(_ signature: [UInt8], of message: [UInt8], publicKey: [UInt8]) -> Bool {
        switch self {
        case .ed25519:
            guard signature.count == 64, let key = try? Curve25519.Signing.PublicKey(rawRepresentation: publicKey)
            else { return false }
            return key.isValidSignature(signature, for: message)
        case .es256:
            guard signature.count == 64, let key = try? P256.Signing.PublicKey(x963Representation: publicKey),
                let parsed = try? P256.Signing.ECDSASignature(rawRepresentation: signature)
            else { return false }
            return key.isValidSignature(parsed, for: message)
        }
    }
}

/// A device's private key, for clients and tests that sign as a device. The server never holds one.
public struct DeviceSigningKey: Sendable {
    private enum Key: Sendable {
        case ed25519(Curve25519.Signing.PrivateKey)
        case es256(P256.Signing.PrivateKey)
    }

    private let key: Key

    /// A new random key.
    public init(_ algorithm: DeviceKeyAlgorithm) {
        switch algorithm {
        case .ed25519: key = .ed25519(Curve25519.Signing.PrivateKey())
        case .es256: key = .es256(P256.Signing.PrivateKey())
        }
    }

    /// A key from its raw private bytes (32 for either algorithm); `nil` when they are not a key.
    public init?(_ algorithm: DeviceKeyAlgorithm, rawPrivateKey bytes: [UInt8]) {
        switch algorithm {
        case .ed25519:
            guard let key = try? Curve25519.Signing.PrivateKey(rawRepresentation: bytes) else { return nil }
            self.key = .ed25519(key)
        case .es256:
            guard let key = try? P256.Signing.PrivateKey(rawRepresentation: bytes) else { return nil }
            self.key = .es256(key)
        }
    }

    public var algorithm: DeviceKeyAlgorithm {
        switch key {
        case .ed25519: .ed25519
        case .es256: .es256
        }
    }

    /// The public key in the form ``DeviceKeyAlgorithm/isValidPublicKey(_:)`` takes.
    public var publicKey: [UInt8] {
        switch key {
        case .ed25519(let key): Array(key.publicKey.rawRepresentation)
        case .es256(let key): Array(key.publicKey.x963Representation)
        }
    }

    /// The raw private bytes.
    public var rawPrivateKey: [UInt8] {
        switch key {
        case .ed25519(let key): Array(key.rawRepresentation)
        case .es256(let key): Array(key.rawRepresentation)
        }
    }

    /// The signature over `message` (64 bytes for either algorithm).
    public func sign(_ message: [UInt8]) -> [UInt8] {
        // Signing with a valid key does not fail.
        switch key {
        case .ed25519(let key): (try? key.signature(for: message)).map { Array($0) } ?? []
        case .es256(let key): (try? key.signature(for: message)).map { Array($0.rawRepresentation) } ?? []
        }
    }
}
