public import Hummingbird
public import PraxisProtocol

/// Admits a request only with `Authorization: Bearer <operator token>`. The server knows the
/// token's SHA-256 alone and compares digests in constant time.
public struct OperatorAuthMiddleware<Context: RequestContext>: RouterMiddleware {
    let tokenHash: EventHash

    public init(tokenHash: EventHash) {
        self.tokenHash = tokenHash
    }

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response)
        async throws -> Response
    {
        guard let header = request.headers[.authorization], header.hasPrefix("Bearer "),
            Self.constantTimeEqual(EventHash(hashing: header.dropFirst("Bearer ".count).utf8).bytes, tokenHash.bytes)
        else {
            var error = APIError.unauthorized
            error.headers[.wwwAuthenticate] = "Bearer"
            throw error
        }
        return try await next(request, context)
    }

    static func constantTimeEqual(_ lhs: [UInt8], _ rhs: [UInt8]) -> Bool {
        guard lhs.count == rhs.count else { return false }
        return zip(lhs, rhs).reduce(UInt8(0)) { $0 | ($1.0 ^ $1.1) } == 0
    }
}
