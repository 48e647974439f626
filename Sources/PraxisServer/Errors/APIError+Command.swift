import HTTPTypes
import PraxisCommands
import PraxisDomain

extension APIError {
    /// The answer to a command that did not take effect.
    init(_ failure: CommandFailure) {
        switch failure {
        case .rejected(let rejection):
            self.init(Self.status(for: rejection.code), code: rejection.code.description, rejection.message)
            field = rejection.field
        case .storage(let error):
            self.init(error)
        case .contention(let message):
            self.init(.serviceUnavailable, code: "contention", message)
            headers[.retryAfter] = "1"
        case .unreadableHistory:
            self = .internalError
        }
    }

    /// Rejections of what the caller may not know or do, of malformed input, and of requests that
    /// clash with the current state.
    static func status(for code: Rejection.Code) -> HTTPResponse.Status {
        switch code {
        case .notFound: .notFound
        case .forbidden, .notMember, .memberDeactivated, .guestNotAllowed: .forbidden
        case .invalidField, .selfMentoring, .notAQuestion: .badRequest
        default: .conflict
        }
    }
}
