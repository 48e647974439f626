public import Hummingbird
public import PraxisCommands
import PraxisProtocol
public import PraxisStore

/// Admits a request only with `Authorization: Bearer <member access token>`, and records the
/// member in the request context. Tokens are looked up by their SHA-256.
public struct MemberAuthMiddleware<Store: EventStore>: RouterMiddleware {
    public typealias Context = PraxisRequestContext
    let directory: AccessTokenDirectory<Store>

    public init(directory: AccessTokenDirectory<Store>) {
        self.directory = directory
    }

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response)
        async throws -> Response
    {
        guard let header = request.headers[.authorization], header.hasPrefix("Bearer "),
            let member = try await directory.member(forTokenHash: EventHash(hashing: header.dropFirst(7).utf8))
        else {
            var error = APIError(.unauthorized, code: "unauthorized", "send 'Authorization: Bearer <access token>'")
            error.headers[.wwwAuthenticate] = "Bearer"
            throw error
        }
        var context = context
        context.member = member
        return try await next(request, context)
    }
}
