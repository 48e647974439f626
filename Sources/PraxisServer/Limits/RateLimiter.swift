import Foundation
import HTTPTypes
import PraxisProtocol
import Synchronization

/// Token buckets, one per caller key (`member:…`, `device:…`), safe to share between requests.
///
/// Memory stays bounded: once more than ``maximumKeys`` callers are tracked, buckets that have
/// refilled completely (whose callers have been quiet) are forgotten, since a full bucket is what
/// an unknown caller gets anyway.
final class RateLimiter: Sendable {
    /// Above this many tracked callers, full buckets are dropped.
    static let maximumKeys = 50_000

    private struct Bucket {
        var tokens: Double
        var updated: Double
    }

    let limit: RateLimit
    private let now: @Sendable () -> Double
    private let buckets = Mutex<[String: Bucket]>([:])

    /// - Parameter now: seconds on a monotonic clock; tests pass their own.
    init(limit: RateLimit, now: @escaping @Sendable () -> Double = { ProcessInfo.processInfo.systemUptime }) {
        self.limit = limit
        self.now = now
    }

    /// Takes one request from `key`'s bucket: `nil` if admitted, otherwise the seconds until a
    /// request would be (at least 1, as `Retry-After` counts whole seconds).
    func admit(_ key: String) -> Int? {
        let now = self.now()
        let limit = self.limit
        return buckets.withLock { buckets in
            var bucket = buckets[key] ?? Bucket(tokens: Double(limit.burst), updated: now)
            bucket.tokens = min(
                Double(limit.burst), bucket.tokens + (now - bucket.updated) * limit.requestsPerSecond)
            bucket.updated = now
            defer {
                buckets[key] = bucket
                if buckets.count > Self.maximumKeys { Self.forgetFull(&buckets, at: now, limit: limit) }
            }
            if bucket.tokens >= 1 {
                bucket.tokens -= 1
                return nil
            }
            let wait = (1 - bucket.tokens) / limit.requestsPerSecond
            return max(1, Int(wait.rounded(.up)))
        }
    }

    /// How many callers have a bucket now.
    var trackedKeys: Int { buckets.withLock { $0.count } }

    /// ``admit(_:)`` as a check: throws `429 rate_limited` when `key` must wait.
    func check(_ key: String) throws(APIError) {
        if let wait = admit(key) { throw APIError.rateLimited(retryAfter: wait) }
    }

    private static func forgetFull(_ buckets: inout [String: Bucket], at now: Double, limit: RateLimit) {
        buckets = buckets.filter { _, bucket in
            bucket.tokens + (now - bucket.updated) * limit.requestsPerSecond < Double(limit.burst)
        }
    }
}

extension APIError {
    /// `429 rate_limited` with `Retry-After`.
    static func rateLimited(retryAfter seconds: Int) -> APIError {
        var error = APIError(
            .tooManyRequests, code: "rate_limited", "too many requests from this caller; retry after \(seconds) s")
        error.headers[.retryAfter] = String(seconds)
        error.details["retry_after"] = .number(Double(seconds))
        return error
    }
}
