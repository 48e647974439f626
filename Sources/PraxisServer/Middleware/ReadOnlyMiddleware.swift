public import Hummingbird

/// For `praxis serve --read-only` (an audit replay of the past): every request that is not a read
/// is refused with `403 read_only`.
public struct ReadOnlyMiddleware<Context: RequestContext>: RouterMiddleware {
    public init() {}

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response)
        async throws -> Response
    {
        guard request.method == .get || request.method == .head else {
            throw APIError(.forbidden, code: "read_only", "this server answers reads only")
        }
        return try await next(request, context)
    }
}
