/// How many requests one caller may make: a sustained rate and a burst on top of it.
///
/// Every member and every device has its own bucket of `burst` requests that refills at
/// `requestsPerSecond`; a request that finds the bucket empty gets `429 rate_limited` with
/// `Retry-After`.
public struct RateLimit: Sendable, Hashable {
    /// Requests per second a caller may make for as long as it likes.
    public var requestsPerSecond: Double
    /// Requests a caller may make at once after a quiet spell.
    public var burst: Int

    public init(requestsPerSecond: Double, burst: Int) {
        self.requestsPerSecond = requestsPerSecond
        self.burst = burst
    }

    /// What `praxis serve` uses unless told otherwise: generous for people and their devices,
    /// tight enough that one runaway client cannot take the node.
    public static let standard = RateLimit(requestsPerSecond: 20, burst: 100)
}
