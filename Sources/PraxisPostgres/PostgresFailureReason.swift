import Foundation
import NIOCore
import NIOPosix
import PostgresNIO

extension PSQLError {
    /// What went wrong, in words an operator can act on: PostgreSQL's own message with its
    /// SQLSTATE, or the system's reason a connection failed; `nil` when neither is known.
    var reason: String? {
        if let info = serverInfo, let message = info[.message] {
            return "\(message) (SQLSTATE \(info[.sqlState] ?? "unknown"))"
        }
        return Self.reason(of: underlying)
    }

    /// Whether trying again may succeed: a connection that failed, or a server error of a class
    /// that passes (connection exceptions, rollbacks, insufficient resources, operator intervention,
    /// system errors) — not a missing database, a refused user or a bad statement.
    var isTransient: Bool {
        guard let state = serverInfo?[.sqlState] else { return true }
        return ["08", "40", "53", "57", "58"].contains(String(state.prefix(2)))
    }

    private static func reason(of error: (any Error)?) -> String? {
        switch error {
        case let error as IOError:
            return String(cString: strerror(error.errnoCode)).lowercased()
        case let error as NIOConnectionError:
            if let failure = error.connectionErrors.first { return reason(of: failure.error) }
            return reason(of: error.dnsAError ?? error.dnsAAAAError)
        case is SocketAddressError, is SocketAddressError.UnknownHost:
            return "the host is not known"
        default:
            return nil
        }
    }
}
