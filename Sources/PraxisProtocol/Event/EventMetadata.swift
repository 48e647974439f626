public import Foundation

/// Who wrote an event, from where and why. Every field is optional; absent fields are left out of
/// the canonical bytes rather than written as `null`.
public struct EventMetadata: Sendable, Hashable {
    /// The member on whose behalf the event was written (`actor`).
    public var actor: UUID?
    /// The device that wrote it (`device`).
    public var device: UUID?
    /// The author's clock when it was written (`client_time`). Never used to order the log.
    public var clientTime: Timestamp?
    /// The authoring device's logical clock (`logical_clock`): it counts up with every event the
    /// device writes, so its own events keep their order even when its wall clock jumps.
    public var logicalClock: Int64?
    /// The event or command that caused this one (`causation_id`).
    public var causationID: UUID?
    /// The conversation or workflow this event belongs to (`correlation_id`).
    public var correlationID: UUID?

    public init(
        actor: UUID? = nil, device: UUID? = nil, clientTime: Timestamp? = nil, logicalClock: Int64? = nil,
        causationID: UUID? = nil, correlationID: UUID? = nil
    ) {
        self.actor = actor
        self.device = device
        self.clientTime = clientTime
        self.logicalClock = logicalClock
        self.causationID = causationID
        self.correlationID = correlationID
    }

    /// The largest logical clock (2^53 − 1, the largest integer every JSON reader keeps exact).
    public static let maximumLogicalClock: Int64 = 9_007_199_254_740_991

    static let fieldNames = ["actor", "device", "client_time", "logical_clock", "causation_id", "correlation_id"]

    var json: JSONValue {
        var members: [String: JSONValue] = [:]
        if let actor { members["actor"] = .string(actor.wireString) }
        if let device { members["device"] = .string(device.wireString) }
        if let clientTime { members["client_time"] = .string(clientTime.rfc3339) }
        if let logicalClock { members["logical_clock"] = .number(Double(logicalClock)) }
        if let causationID { members["causation_id"] = .string(causationID.wireString) }
        if let correlationID { members["correlation_id"] = .string(correlationID.wireString) }
        return .object(members)
    }

    /// The canonical form of ``json``, written member by member in their canonical order.
    var canonicalBytes: [UInt8] {
        var writer = CanonicalObjectWriter(capacity: 160)
        if let actor { writer.string("actor", actor.wireString) }
        if let causationID { writer.string("causation_id", causationID.wireString) }
        if let clientTime { writer.string("client_time", clientTime.rfc3339) }
        if let correlationID { writer.string("correlation_id", correlationID.wireString) }
        if let device { writer.string("device", device.wireString) }
        if let logicalClock { writer.integer("logical_clock", logicalClock) }
        return writer.finish()
    }

    init(json: JSONValue) throws(EnvelopeError) {
        let fields = try ObjectFields(json, path: "metadata", allowed: Self.fieldNames)
        self.init(
            actor: try fields.optionalUUID("actor"),
            device: try fields.optionalUUID("device"),
            clientTime: try fields.optionalTimestamp("client_time"),
            logicalClock: fields.members["logical_clock"] == nil
                ? nil : try fields.integer("logical_clock", in: 0...Self.maximumLogicalClock),
            causationID: try fields.optionalUUID("causation_id"),
            correlationID: try fields.optionalUUID("correlation_id")
        )
    }
}
