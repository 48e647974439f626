public import Foundation

/// The fields an event's author writes: what happened, to which stream, and on whose behalf.
///
/// Its canonical bytes (``canonicalBytes``) are the RFC 8785 form of
/// ```json
/// {"id":"…","metadata":{…},"payload":{…},"schema_version":1,"stream":"community/…","type":"post_created"}
/// ```
/// and they are what gets hashed and signed. Fields the server assigns (log position, stream
/// version, server time) are not part of it.
public struct EventEnvelope: Sendable, Hashable {
    /// The highest schema version an event type may declare.
    public static let maximumSchemaVersion: Int64 = 10_000

    /// Chosen by the author (a version 7 UUID preferred); the idempotency key of the event.
    public var id: UUID
    /// The stream the event belongs to.
    public var stream: StreamName
    /// What happened.
    public var type: EventTypeName
    /// The version of the payload's schema for this type, from 1.
    public var schemaVersion: Int64
    /// The event's data, a JSON object.
    public var payload: [String: JSONValue]
    /// Who, where and why.
    public var metadata: EventMetadata

    public init(
        id: UUID, stream: StreamName, type: EventTypeName, schemaVersion: Int64 = 1,
        payload: [String: JSONValue] = [:], metadata: EventMetadata = EventMetadata()
    ) {
        self.id = id
        self.stream = stream
        self.type = type
        self.schemaVersion = schemaVersion
        self.payload = payload
        self.metadata = metadata
    }

    /// The envelope as a JSON object, with the wire's field names.
    public var json: JSONValue {
        .object([
            "id": .string(id.wireString),
            "stream": .string(stream.rawValue),
            "type": .string(type.rawValue),
            "schema_version": .number(Double(schemaVersion)),
            "payload": .object(payload),
            "metadata": metadata.json,
        ])
    }

    /// The RFC 8785 bytes that are hashed and signed: the canonical form of ``json``, written member
    /// by member in their canonical order, so that only the payload's members are sorted.
    public var canonicalBytes: [UInt8] {
        var writer = CanonicalObjectWriter()
        writer.string("id", id.wireString)
        writer.canonical("metadata", metadata.canonicalBytes)
        writer.value("payload", .object(payload))
        writer.integer("schema_version", schemaVersion)
        writer.string("stream", stream.rawValue)
        writer.string("type", type.rawValue)
        return writer.finish()
    }

    /// Reads an envelope from its JSON object form, rejecting unknown and malformed fields.
    public init(json: JSONValue) throws(EnvelopeError) {
        let fields = try ObjectFields(
            json, path: "", allowed: ["id", "stream", "type", "schema_version", "payload", "metadata"])
        guard let stream = StreamName(try fields.string("stream")) else {
            throw .invalidField("stream", "must be 1–200 characters from letters, digits and _-.:/ starting with a-z")
        }
        guard let type = EventTypeName(try fields.string("type")) else {
            throw .invalidField("type", "must be snake_case, 1–100 characters, starting with a-z")
        }
        guard case .object(let payload) = try fields.required("payload") else {
            throw .invalidField("payload", "must be a JSON object")
        }
        self.init(
            id: try fields.uuid("id"),
            stream: stream,
            type: type,
            schemaVersion: try fields.integer("schema_version", in: 1...Self.maximumSchemaVersion),
            payload: payload,
            metadata: try EventMetadata(json: try fields.required("metadata"))
        )
    }

    /// Reads an envelope from bytes that must already be in canonical form (signed bytes are kept
    /// exactly as written, so anything else could not be verified later).
    public init(canonicalBytes bytes: [UInt8]) throws(EnvelopeError) {
        let json: JSONValue
        do {
            json = try JSONParser.parse(bytes)
        } catch {
            throw EnvelopeError(.invalidJSON, error.message, parseError: error)
        }
        try self.init(json: json)
        guard CanonicalJSON.encode(json) == bytes else {
            throw EnvelopeError(.nonCanonical, "the bytes are not the RFC 8785 canonical form of their JSON value")
        }
    }
}
