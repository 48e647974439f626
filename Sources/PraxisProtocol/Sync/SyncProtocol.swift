/// The constants of the delta-sync protocol, `praxis-sync/1` (see `Protocol/PROTOCOL.md`).
public enum SyncProtocol {
    /// The protocol version this build speaks.
    public static let version = "praxis-sync/1"
    /// Every protocol version this build speaks, oldest first.
    public static let supportedVersions = [version]

    /// The most events one push batch may carry.
    public static let maximumEventsPerBatch = 500
    /// The most bytes one push body may have.
    public static let maximumBatchBytes = 1 << 20
    /// The most events one pull page carries (a larger `limit` is lowered to it).
    public static let maximumPullLimit = 1000
    /// A pull page stops adding events once it holds this many bytes of events.
    public static let maximumPullBytes = 1 << 20
    /// How far a request's timestamp may be from the server's clock, either way.
    public static let clockSkewSeconds: Int64 = 300

    /// The request headers of an authenticated sync request.
    public enum Header {
        public static let device = "Praxis-Device"
        public static let timestamp = "Praxis-Timestamp"
        public static let nonce = "Praxis-Nonce"
        public static let signature = "Praxis-Signature"
    }
}
