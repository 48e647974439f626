/// An event as its author wrote it, together with the exact bytes that were hashed.
///
/// Build one from an envelope (the bytes are computed) or from received bytes (they are kept
/// verbatim after checking that they are canonical). Either way ``hash`` is SHA-256 of
/// ``canonicalBytes``.
public struct AuthoredEvent: Sendable, Hashable {
    /// The decoded fields.
    public let envelope: EventEnvelope
    /// The RFC 8785 bytes of ``envelope``, exactly as hashed.
    public let canonicalBytes: [UInt8]
    /// SHA-256 of ``canonicalBytes``.
    public let hash: EventHash

    /// Computes the canonical bytes and hash of `envelope`.
    public init(_ envelope: EventEnvelope) {
        self.envelope = envelope
        self.canonicalBytes = envelope.canonicalBytes
        self.hash = EventHash(hashing: canonicalBytes)
    }

    /// Decodes received canonical bytes, keeping them as they are.
    public init(canonicalBytes: [UInt8]) throws(EnvelopeError) {
        self.envelope = try EventEnvelope(canonicalBytes: canonicalBytes)
        self.canonicalBytes = canonicalBytes
        self.hash = EventHash(hashing: canonicalBytes)
    }
}

extension AuthoredEvent {
    /// Rebuilds an event from bytes and a hash that a store wrote itself, without re-checking
    /// that the bytes are canonical or re-hashing them; `praxis log verify` does both.
    package init(storedCanonicalBytes bytes: [UInt8], hash: EventHash) throws(EnvelopeError) {
        let json: JSONValue
        do {
            json = try JSONParser.parse(bytes)
        } catch {
            throw EnvelopeError(.invalidJSON, error.message, parseError: error)
        }
        self.envelope = try EventEnvelope(json: json)
        self.canonicalBytes = bytes
        self.hash = hash
    }
}
