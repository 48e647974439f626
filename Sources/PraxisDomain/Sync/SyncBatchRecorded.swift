public import PraxisProtocol

/// What became of one pushed event.
public enum PushStatus: String, WireEnum {
    /// Decided and appended; the device's signed bytes are in the log.
    case accepted
    /// Refused by the domain or the protocol; nothing was written for it.
    case rejected
    /// Appended before (by an earlier batch); the first answer stands.
    case duplicate
}

/// The answer for one pushed event, as recorded.
public struct PushedEventResult: Codable, Sendable, Equatable {
    /// The event id the device chose.
    public var id: String
    public var status: PushStatus
    /// For rejections: the stable code and the explanation.
    public var code: String?
    public var message: String?

    public init(id: String, status: PushStatus, code: String? = nil, message: String? = nil) {
        self.id = id
        self.status = status
        self.code = code
        self.message = message
    }
}

/// A device's push batch was processed: its number, a hash of its events, and every answer, so
/// that re-sending the batch (after a lost response) returns the same answers on any node.
public struct SyncBatchRecorded: DomainEvent {
    public static let type = "sync_batch_recorded"
    public static let schemaVersion: Int64 = 1
    public var device: DeviceID
    public var batch: Int64
    /// base64url SHA-256 of the batch's events (the canonical JSON array of their hashes).
    public var eventsHash: String
    public var results: [PushedEventResult]

    public init(device: DeviceID, batch: Int64, eventsHash: String, results: [PushedEventResult]) {
        self.device = device
        self.batch = batch
        self.eventsHash = eventsHash
        self.results = results
    }
}
