import Crypto

/// The SHA-256 digest of an event's canonical bytes; base64url without padding on the wire.
public struct EventHash: Sendable, Hashable, CustomStringConvertible {
    /// The 32 digest bytes.
    public let bytes: [UInt8]

    /// Wraps 32 digest bytes; `nil` for any other length.
    public init?(bytes: [UInt8]) {
        guard bytes.count == SHA256.byteCount else { return nil }
        self.bytes = bytes
    }

    /// The SHA-256 digest of `data`.
    public init(hashing data: some Sequence<UInt8>) {
        var hasher = SHA256()
        hasher.update(data: Array(data))
        self.bytes = Array(hasher.finalize())
    }

    /// Parses the wire form; `nil` when it is not 32 bytes of unpadded base64url.
    public init?(base64URL text: String) {
        guard let bytes = Base64URL.decode(text) else { return nil }
        self.init(bytes: bytes)
    }

    /// The wire form.
    public var base64URL: String { Base64URL.encode(bytes) }

    public var description: String { base64URL }
}
