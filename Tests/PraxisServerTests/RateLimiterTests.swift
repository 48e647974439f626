import Synchronization
import Testing

@testable import PraxisServer

/// The token bucket on a clock the test moves.
@Suite("Rate limiter")
struct RateLimiterTests {
    final class Clock: Sendable {
        let seconds = Mutex(0.0)
        func advance(_ by: Double) { seconds.withLock { $0 += by } }
        var now: @Sendable () -> Double { { self.seconds.withLock { $0 } } }
    }

    @Test("a burst, then one request per 1/rate seconds; the wait is rounded up to whole seconds")
    func refill() {
        let clock = Clock()
        let limiter = RateLimiter(limit: RateLimit(requestsPerSecond: 0.25, burst: 2), now: clock.now)
        #expect(limiter.admit("a") == nil)
        #expect(limiter.admit("a") == nil)
        #expect(limiter.admit("a") == 4, "one token takes 4 s at 0.25/s")
        clock.advance(3)
        #expect(limiter.admit("a") == 1, "0.75 of a token after 3 s: 1 s more")
        clock.advance(1)
        #expect(limiter.admit("a") == nil)
        #expect(limiter.admit("b") == nil, "each key has its own bucket")
        clock.advance(3600)
        #expect(limiter.admit("a") == nil)
        #expect(limiter.admit("a") == nil)
        #expect(limiter.admit("a") != nil, "a long quiet spell refills to the burst, not beyond")
    }

    @Test("past the bound on tracked callers, the full buckets of quiet callers are forgotten")
    func boundedMemory() {
        let clock = Clock()
        let limiter = RateLimiter(limit: RateLimit(requestsPerSecond: 1, burst: 1), now: clock.now)
        for index in 0..<RateLimiter.maximumKeys { _ = limiter.admit("quiet-\(index)") }
        #expect(limiter.trackedKeys == RateLimiter.maximumKeys)
        clock.advance(5)
        _ = limiter.admit("busy")  // one over the bound: the quiet callers' buckets are full again
        #expect(limiter.trackedKeys == 1)
        #expect(limiter.admit("busy") == 1, "the busy caller's empty bucket is kept")
    }
}
