public import Hummingbird
public import Logging
import PraxisCommands
import PraxisProjections
import PraxisProtocol
import PraxisStore
import PraxisSync

/// The one place where errors become HTTP answers: `{"error":{"code":"…","message":"…"}}` with the
/// right status. Unexpected errors are logged in full and answered as a bare `internal_error`.
public struct APIErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    let logger: Logger

    public init(logger: Logger) {
        self.logger = logger
    }

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response)
        async throws -> Response
    {
        do {
            return try await next(request, context)
        } catch {
            return Self.response(for: apiError(for: error, request: request))
        }
    }

    private func apiError(for error: any Error, request: Request) -> APIError {
        switch error {
        case let error as APIError:
            return error
        case let error as StoreError:
            let answer = APIError(error)
            if answer.status.code >= 500 {
                logger.error("store failure", metadata: ["path": "\(request.uri.path)", "error": "\(error)"])
            }
            return answer
        case let error as CommandFailure:
            let answer = APIError(error)
            if answer.status.code >= 500 {
                logger.error("command failure", metadata: ["path": "\(request.uri.path)", "error": "\(error)"])
            }
            return answer
        case let error as SyncError:
            let answer = APIError(error)
            if answer.status.code >= 500 {
                logger.error("sync failure", metadata: ["path": "\(request.uri.path)", "error": "\(error)"])
            }
            return answer
        case let error as QueryFailure:
            return APIError(error)
        case let error as HTTPError:
            return Self.translate(error)
        default:
            logger.error("unexpected failure", metadata: ["path": "\(request.uri.path)", "error": "\(error)"])
            return .internalError
        }
    }

    /// Hummingbird's own errors (no route, body too large, …) in Praxis's shape.
    private static func translate(_ error: HTTPError) -> APIError {
        switch error.status {
        case .notFound: return .notFound
        case .contentTooLarge:
            return APIError(.contentTooLarge, code: "payload_too_large", "the request body is too large")
        case .unauthorized: return .unauthorized
        default:
            let code = error.status.reasonPhrase.lowercased().split(separator: " ").joined(separator: "_")
            return APIError(
                error.status, code: code.isEmpty ? "http_\(error.status.code)" : code, error.body ?? error.status.reasonPhrase)
        }
    }

    static func response(for error: APIError) -> Response {
        var details = error.details
        details["code"] = .string(error.code)
        details["message"] = .string(error.message)
        if let field = error.field { details["field"] = .string(field) }
        let body: JSONValue = ["error": .object(details)]
        var response = JSONResponse(body, status: error.status).response()
        response.headers.append(contentsOf: error.headers)
        return response
    }
}
