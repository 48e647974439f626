import Foundation
package import PraxisProtocol

/// One row of the log as a store reads it, before decoding. Every store reads rows into this
/// shape, so the checks that a row is what it claims to be live in one place.
package struct StoredEventRow: Sendable {
    package var position: Int64
    package var id: String
    package var stream: String
    package var streamVersion: Int64
    package var type: String
    package var schemaVersion: Int64
    package var canonicalBytes: [UInt8]
    package var hash: [UInt8]
    package var serverTime: Int64
    package var signatureAlgorithm: String?
    package var signatureKeyID: String?
    package var signature: [UInt8]?

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

    /// Decodes the row, failing with ``StoreError/Code/corruptEvent`` when its bytes do not decode
    /// or its indexed columns disagree with them.
    package func decode() throws(StoreError) -> RecordedEvent {
        let at = LogPosition(position)
        guard let hash = EventHash(bytes: hash) else { throw .corruptEvent(at: at, "the stored hash is not 32 bytes") }
        var authorSignature: EventSignature?
        switch (signatureAlgorithm, signatureKeyID, signature) {
        case (nil, nil, nil): authorSignature = nil
        case (let algorithm?, let keyID?, let value?):
            guard let algorithm = DeviceKeyAlgorithm(rawValue: algorithm) else {
                throw .corruptEvent(at: at, "the stored signature algorithm \(algorithm) is unknown")
            }
            authorSignature = EventSignature(algorithm: algorithm, keyID: keyID, value: value)
        default:
            throw .corruptEvent(at: at, "the signature columns are only partly set")
        }
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
