import Crypto

/// The state of the log's Merkle tree at one size.
public struct TreeHead: Sendable, Hashable {
    /// How many events the tree covers (positions 1 … `treeSize`).
    public let treeSize: Int64
    /// The tree's root (RFC 9162 MTH of the leaves).
    public let rootHash: MerkleTree.Hash
    /// When the server signed it.
    public let timestamp: Timestamp

    public init(treeSize: Int64, rootHash: MerkleTree.Hash, timestamp: Timestamp) {
        self.treeSize = treeSize
        self.rootHash = rootHash
        self.timestamp = timestamp
    }

    /// The signed bytes: RFC 8785 form of `{"root_hash": …, "timestamp": …, "tree_size": …}`.
    public var signedBytes: [UInt8] {
        CanonicalJSON.encode([
            "root_hash": .string(Base64URL.encode(rootHash)), "timestamp": .string(timestamp.rfc3339),
            "tree_size": .number(Double(treeSize)),
        ])
    }
}

/// A tree head with the server's Ed25519 signature over its ``TreeHead/signedBytes``.
public struct SignedTreeHead: Sendable, Hashable {
    public let head: TreeHead
    /// Which server key signed: base64url of SHA-256 of the raw public key.
    public let keyID: String
    public let signature: [UInt8]

    public init(head: TreeHead, keyID: String, signature: [UInt8]) {
        self.head = head
        self.keyID = keyID
        self.signature = signature
    }

    /// Whether the signature is `publicKey`'s (raw 32-byte Ed25519) over the head.
    public func isSigned(by publicKey: [UInt8]) -> Bool {
        guard let key = try? Curve25519.Signing.PublicKey(rawRepresentation: publicKey) else { return false }
        return key.isValidSignature(signature, for: head.signedBytes)
    }

    /// The wire form.
    public var json: JSONValue {
        [
            "tree_size": .number(Double(head.treeSize)), "root_hash": .string(Base64URL.encode(head.rootHash)),
            "timestamp": .string(head.timestamp.rfc3339), "key_id": .string(keyID),
            "signature": .string(Base64URL.encode(signature)),
        ]
    }
}

/// The server's signing key (Ed25519): tree heads, sync receipts and pull pages.
public struct TreeHeadKey: Sendable {
    private let key: Curve25519.Signing.PrivateKey

    /// A new random key.
    public init() { key = Curve25519.Signing.PrivateKey() }

    /// A key from its 32 raw bytes; `nil` for any other length.
    public init?(rawRepresentation bytes: [UInt8]) {
        guard bytes.count == 32, let key = try? Curve25519.Signing.PrivateKey(rawRepresentation: bytes) else { return nil }
        self.key = key
    }

    /// The 32 raw private bytes, for keeping the key in a file.
    public var rawRepresentation: [UInt8] { Array(key.rawRepresentation) }
    /// The 32 raw public bytes.
    public var publicKey: [UInt8] { Array(key.publicKey.rawRepresentation) }
    /// base64url of SHA-256 of the public key.
    public var keyID: String { Base64URL.encode(SHA256.hash(data: publicKey)) }

    /// Signs `head`.
    public func sign(_ head: TreeHead) -> SignedTreeHead {
        SignedTreeHead(head: head, keyID: keyID, signature: signature(over: head.signedBytes))
    }

    /// The Ed25519 signature over `bytes`.
    public func signature(over bytes: [UInt8]) -> [UInt8] {
        // Ed25519 signing does not fail with a valid key.
        (try? key.signature(for: bytes)).map { Array($0) } ?? []
    }
}
