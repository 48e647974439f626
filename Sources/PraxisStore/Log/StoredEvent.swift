import Foundation
public import PraxisProtocol

/// One event of the log as a store reads it, before decoding. Every store reads rows into this
/// shape, so the checks that a row is what it claims to be live in one place. Readers that need
/// only the indexed columns and the stored bytes (sync pages) decode nothing more.
public struct StoredEvent: Sendable {
    public let position: Int64
    public let id: String
    public let stream: String
    public let streamVersion: Int64
    public let type: String
    public let schemaVersion: Int64
    /// The envelope's RFC 8785 bytes, as hashed.
    public let canonicalBytes: [UInt8]
    public let hash: [UInt8]
    /// Milliseconds since the epoch.
    public let serverTime: Int64
    public let signatureAlgorithm: String?
    public let signatureKeyID: String?
    public let signature: [UInt8]?

    package init(
        position: Int64, id: String, stream: String, streamVersion: Int64, type: String, schemaVersion: Int64,
        canonicalBytes: [UInt8], hash: [UInt8], serverTime: Int64, signatureAlgorithm: String? = nil,
        signatureKeyID: String? = nil, signature: [UInt8]? = nil
    ) {
        self.position = position
        self.id = id
        self.stream = stream
        self.streamVersion = streamVersion
        self.type = type
        self.schemaVersion = schemaVersion
        self.canonicalBytes = canonicalBytes
        self.hash = hash
        self.serverTime = serverTime
        self.signatureAlgorithm = signatureAlgorithm
        self.signatureKeyID = signatureKeyID
        self.signature = signature
    }

    /// The row's three signature columns, all set or all null.
    package static func columns(of signature: EventSignature?) -> (String?, String?, [UInt8]?) {
        guard let signature else { return (nil, nil, nil) }
        return (signature.algorithm.rawValue, signature.keyID, signature.value)
    }

    /// The row's stream name; fails with ``StoreError/Code/corruptEvent`` when it is not a valid one.
    public func streamName() throws(StoreError) -> StreamName {
        guard let name = StreamName(stream) else {
            throw .corruptEvent(at: LogPosition(position), "the row's stream is not a valid stream name")
        }
        return name
    }

    /// The author's signature, from the three signature columns.
    public func authorSignature() throws(StoreError) -> EventSignature? {
        switch (signatureAlgorithm, signatureKeyID, signature) {
        case (nil, nil, nil): return nil
        case (let algorithm?, let keyID?, let value?):
            guard let algorithm = DeviceKeyAlgorithm(rawValue: algorithm) else {
                throw .corruptEvent(at: LogPosition(position), "the stored signature algorithm \(algorithm) is unknown")
            }
            return EventSignature(algorithm: algorithm, keyID: keyID, value: value)
        default:
            throw .corruptEvent(at: LogPosition(position), "the signature columns are only partly set")
        }
    }

    /// The row's leaf in the log's Merkle tree (``RecordedEvent/merkleLeaf``), from the stored hash
    /// and signature without decoding the stored bytes.
    public func merkleLeaf() throws(StoreError) -> MerkleLeaf {
        guard let eventHash = EventHash(bytes: hash) else {
            throw .corruptEvent(at: LogPosition(position), "the stored hash is not 32 bytes")
        }
        return MerkleLeaf(
            position: position, eventHash: eventHash, serverTime: Timestamp(millisecondsSinceEpoch: serverTime),
            authorSignature: try authorSignature())
    }

    /// The event's wire form (``AuthoredEvent/json``) in canonical bytes, made without decoding
    /// the stored bytes; fails with ``StoreError/Code/corruptEvent`` when they are not an
    /// envelope of the row's stream and type.
    public func wireBytes() throws(StoreError) -> [UInt8] {
        guard
            let bytes = AuthoredEvent.wireBytes(
                canonicalBytes: canonicalBytes, stream: stream, type: type, signature: try authorSignature())
        else {
            throw .corruptEvent(at: LogPosition(position), "the row's stream or type disagree with its stored bytes")
        }
        return bytes
    }

    /// Decodes the row, failing with ``StoreError/Code/corruptEvent`` when its bytes do not decode
    /// or its indexed columns disagree with them.
    public func decode() throws(StoreError) -> RecordedEvent {
        let at = LogPosition(position)
        guard let hash = EventHash(bytes: hash) else { throw .corruptEvent(at: at, "the stored hash is not 32 bytes") }
        let authorSignature = try authorSignature()
        let event: AuthoredEvent
        do {
            event = try AuthoredEvent(storedCanonicalBytes: canonicalBytes, hash: hash, signature: authorSignature)
        } catch {
            throw .corruptEvent(at: at, "the stored bytes are not an event envelope (\(error))")
        }
        let envelope = event.envelope
        guard envelope.id.wireString == id, envelope.stream.rawValue == stream, envelope.type.rawValue == type,
            envelope.schemaVersion == schemaVersion
        else {
            throw .corruptEvent(at: at, "the row's id, stream, type or schema version disagree with its stored bytes")
        }
        return RecordedEvent(
            position: at, streamVersion: streamVersion,
            serverTime: Timestamp(millisecondsSinceEpoch: serverTime), event: event)
    }
}
