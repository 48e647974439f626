import Hummingbird

/// Holds each authenticated member to the server's ``RateLimit``; runs after
/// ``MemberAuthMiddleware``, so a caller cannot spend another member's allowance.
struct MemberRateLimitMiddleware: RouterMiddleware {
    typealias Context = PraxisRequestContext
    let limiter: RateLimiter

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response)
        async throws -> Response
    {
        if let member = context.member { try limiter.check("member:\(member)") }
        return try await next(request, context)
    }
}
