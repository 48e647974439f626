public import HTTPTypes
public import PraxisProtocol
import PraxisStore
import PraxisSync

/// An error answered to a client as `{"error":{"code":"…","message":"…"}}` with an HTTP status.
///
/// Codes are stable snake_case strings that clients may match on; messages are for people and may
/// change. ``APIErrorMiddleware`` turns every thrown error into one of these.
public struct APIError: Error, Sendable, Hashable {
    /// The HTTP status.
    public let status: HTTPResponse.Status
    /// The stable, machine-readable code.
    public let code: String
    /// A human-readable explanation, free of SQL and stack text.
    public let message: String
    /// The offending field, for errors about one (`invalid_field`).
    public var field: String?
    /// Extra response headers (for example `Retry-After`).
    public var headers: HTTPFields = [:]
    /// Extra members of the error object (for example `supported` for `version_not_supported`).
    public var details: [String: JSONValue] = [:]

    public init(_ status: HTTPResponse.Status, code: String, _ message: String) {
        self.status = status
        self.code = code
        self.message = message
    }

    /// A query parameter or field has a value the endpoint cannot use.
    static func invalidParameter(_ name: String, _ message: String) -> APIError {
        APIError(.badRequest, code: "invalid_parameter", "\(name): \(message)")
    }

    /// No route, or no resource, under this path.
    static let notFound = APIError(.notFound, code: "not_found", "nothing is here")

    /// The request lacks valid credentials.
    static let unauthorized = APIError(
        .unauthorized, code: "unauthorized", "send 'Authorization: Bearer <operator token>'")

    /// Something failed on the server; the details are in the server's log, not in the answer.
    static let internalError = APIError(
        .internalServerError, code: "internal_error", "the server failed; the incident is in its log")

    /// A sync refusal, with the status of its kind.
    init(_ error: SyncError) {
        let status: HTTPResponse.Status =
            switch error.kind {
            case .badRequest: .badRequest
            case .unauthenticated: .unauthorized
            case .gone: .gone
            case .conflict: .conflict
            case .tooLarge: .contentTooLarge
            case .unavailable: .serviceUnavailable
            }
        self.init(status, code: error.code, error.message)
        details = error.details
        if error.kind == .unavailable { headers[.retryAfter] = "1" }
    }

    /// The store's error, with the status that fits its code.
    init(_ error: StoreError) {
        switch error.code {
        case .wrongExpectedVersion, .idConflict, .partialDuplicate:
            self.init(.conflict, code: error.code.description, error.message)
        case .invalidBatch:
            self.init(.badRequest, code: error.code.description, error.message)
        case .outOfRange:
            self.init(.notFound, code: error.code.description, error.message)
        case .unavailable, .logNotFound:
            self.init(.serviceUnavailable, code: "unavailable", error.message)
            headers[.retryAfter] = "1"
        default:
            self = .internalError
        }
    }
}
