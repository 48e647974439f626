/// What a device pushes: the events it wrote offline, each signed, in the order it wrote them.
///
/// Wire form (the body must be its own RFC 8785 form, so each event's signed bytes are exactly
/// the canonical form of its object without `signature`):
/// ```json
/// {"batch":7,"device":"<device id>","events":[{…signed event…}],"last_cursor":"…","protocol":"praxis-sync/1"}
/// ```
public struct PushBatch: Sendable, Hashable {
    /// The protocol version the batch is written in.
    public var protocolVersion: String
    /// The pushing device.
    public var device: String
    /// The device's batch number: 1 for its first batch, larger for every new one. A batch is
    /// re-sent with its number unchanged.
    public var number: Int64
    /// The last pull cursor the device had applied when it wrote the batch, if any.
    public var lastCursor: String?
    /// The events, each with the device's signature.
    public var events: [AuthoredEvent]

    public init(
        protocolVersion: String = SyncProtocol.version, device: String, number: Int64, lastCursor: String? = nil,
        events: [AuthoredEvent]
    ) {
        self.protocolVersion = protocolVersion
        self.device = device
        self.number = number
        self.lastCursor = lastCursor
        self.events = events
    }

    public var json: JSONValue {
        var members: [String: JSONValue] = [
            "protocol": .string(protocolVersion), "device": .string(device), "batch": .number(Double(number)),
            "events": .array(events.map(\.json)),
        ]
        if let lastCursor { members["last_cursor"] = .string(lastCursor) }
        return .object(members)
    }

    /// The body a device sends: the canonical bytes of ``json``.
    public var body: [UInt8] { CanonicalJSON.encode(json) }

    /// Reads a batch from its JSON form. Fields are checked strictly; signatures are not checked
    /// here (the server checks them against the device's key).
    public init(json: JSONValue) throws(EnvelopeError) {
        let fields = try ObjectFields(
            json, path: "", allowed: ["protocol", "device", "batch", "last_cursor", "events"])
        guard case .array(let items) = try fields.required("events") else {
            throw .invalidField("events", "must be an array")
        }
        var events: [AuthoredEvent] = []
        for (index, item) in items.enumerated() {
            do {
                events.append(try AuthoredEvent(json: item))
            } catch {
                let field = error.field.map { "events.\(index).\($0)" } ?? "events.\(index)"
                throw EnvelopeError(error.code, field: field, error.message, parseError: error.parseError)
            }
        }
        let lastCursor = fields.members["last_cursor"] == nil ? nil : try fields.string("last_cursor")
        self.init(
            protocolVersion: try fields.string("protocol"), device: try fields.string("device"),
            number: try fields.integer("batch", in: 1...EventMetadata.maximumLogicalClock),
            lastCursor: lastCursor, events: events)
    }
}
