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
    /// The author's signature over ``canonicalBytes``; events a device pushed through sync have
    /// one, events the server wrote for a command do not.
    public let signature: EventSignature?

    /// Computes the canonical bytes and hash of `envelope`.
    public init(_ envelope: EventEnvelope, signature: EventSignature? = nil) {
        self.envelope = envelope
        self.canonicalBytes = envelope.canonicalBytes
        self.hash = EventHash(hashing: canonicalBytes)
        self.signature = signature
    }

    /// Decodes received canonical bytes, keeping them as they are.
    public init(canonicalBytes: [UInt8], signature: EventSignature? = nil) throws(EnvelopeError) {
        self.envelope = try EventEnvelope(canonicalBytes: canonicalBytes)
        self.canonicalBytes = canonicalBytes
        self.hash = EventHash(hashing: canonicalBytes)
        self.signature = signature
    }

    /// The same event signed by `key` as the device `keyID`.
    public func signed(with key: DeviceSigningKey, keyID: String) -> AuthoredEvent {
        AuthoredEvent(verbatim: self, signature: EventSignature(signing: canonicalBytes, with: key, keyID: keyID))
    }

    private init(verbatim event: AuthoredEvent, signature: EventSignature?) {
        self.envelope = event.envelope
        self.canonicalBytes = event.canonicalBytes
        self.hash = event.hash
        self.signature = signature
    }
}

extension AuthoredEvent {
    /// Rebuilds an event from bytes and a hash that a store wrote itself, without re-checking
    /// that the bytes are canonical or re-hashing them; `praxis log verify` does both.
    package init(storedCanonicalBytes bytes: [UInt8], hash: EventHash, signature: EventSignature? = nil)
        throws(EnvelopeError)
    {
        let json: JSONValue
        do {
            json = try JSONParser.parse(bytes)
        } catch {
            throw EnvelopeError(.invalidJSON, error.message, parseError: error)
        }
        self.envelope = try EventEnvelope(json: json)
        self.canonicalBytes = bytes
        self.hash = hash
        self.signature = signature
    }
}
