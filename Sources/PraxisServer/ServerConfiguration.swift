public import PraxisProtocol

/// How the HTTP server runs.
public struct ServerConfiguration: Sendable {
    /// The version this build reports in `GET /health` and `praxis --version`.
    public static let version = "0.1.0"

    /// Address to listen on.
    public var host: String
    /// Port to listen on.
    public var port: Int
    /// Largest request body accepted, in bytes; larger ones get `413 payload_too_large`.
    public var maximumBodyBytes: Int
    /// SHA-256 of the operator token that unlocks operator endpoints (`/v1/log`).
    public var operatorTokenHash: EventHash
    /// Answer reads only (`403 read_only` to everything else), as for an audit replay.
    public var readOnly: Bool
    /// Sync cursors issued more than this many events ago get `410 cursor_too_old`; `nil` serves
    /// every cursor incrementally.
    public var syncHorizon: Int64?
    /// Insights figures about groups of fewer members than this are suppressed (`null`).
    public var insightsMinimumGroup: Int
    /// A connection that sends and receives nothing for this long is closed, so clients that
    /// open connections and stall cannot hold them for ever.
    public var idleTimeout: Duration
    /// A request whose head has arrived must arrive in full within this long, or its connection is
    /// closed: clients that trickle a body byte by byte cannot hold a connection either.
    public var requestTimeout: Duration
    /// How many requests each member (bearer-token API) and each device (signed sync requests) may
    /// make; `nil` sets no limit.
    public var rateLimit: RateLimit?
    /// Open `GET /v1/sync/live` streams allowed at once; more get `503 too_many_live_connections`.
    public var maximumLiveConnections: Int

    public init(
        host: String = "127.0.0.1", port: Int = 8080, maximumBodyBytes: Int = 1 << 20, operatorTokenHash: EventHash,
        readOnly: Bool = false, syncHorizon: Int64? = nil, insightsMinimumGroup: Int = 5,
        idleTimeout: Duration = .seconds(30), requestTimeout: Duration = .seconds(60), rateLimit: RateLimit? = nil,
        maximumLiveConnections: Int = 1000
    ) {
        self.idleTimeout = idleTimeout
        self.requestTimeout = requestTimeout
        self.rateLimit = rateLimit
        self.maximumLiveConnections = maximumLiveConnections
        self.syncHorizon = syncHorizon
        self.insightsMinimumGroup = insightsMinimumGroup
        self.host = host
        self.port = port
        self.maximumBodyBytes = maximumBodyBytes
        self.operatorTokenHash = operatorTokenHash
        self.readOnly = readOnly
    }
}
