public import Hummingbird

/// Refuses a request whose declared body is larger than the limit with `413 payload_too_large`,
/// before any of it is read. Handlers that read bodies collect them with the same limit, so a
/// body sent without `Content-Length` is bounded too.
public struct BodyLimitMiddleware<Context: RequestContext>: RouterMiddleware {
    let maximumBytes: Int

    public init(maximumBytes: Int) {
        self.maximumBytes = maximumBytes
    }

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response)
        async throws -> Response
    {
        if let declared = request.headers[.contentLength] {
            guard let length = Int(declared), length >= 0 else {
                throw APIError(.badRequest, code: "invalid_header", "Content-Length must be a non-negative integer")
            }
            guard length <= maximumBytes else {
                throw APIError(
                    .contentTooLarge, code: "payload_too_large",
                    "the request body has \(length) bytes; at most \(maximumBytes) are accepted")
            }
        }
        return try await next(request, context)
    }
}
