import HTTPTypes
import PraxisProjections

extension APIError {
    /// The answer to a refused read.
    init(_ failure: QueryFailure) {
        switch failure.code {
        case .notFound: self.init(.notFound, code: failure.code.description, failure.message)
        case .notMember, .memberDeactivated, .guestNotAllowed:
            self.init(.forbidden, code: failure.code.description, failure.message)
        case .invalidCursor, .invalidQuery: self.init(.badRequest, code: failure.code.description, failure.message)
        default:
            self.init(.serviceUnavailable, code: failure.code.description, failure.message)
            headers[.retryAfter] = "1"
        }
    }
}
