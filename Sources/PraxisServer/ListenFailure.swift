import Foundation
import NIOCore

/// The server could not listen where it was told to: the port is taken, the address is not this
/// machine's, the host is unknown, or the port needs privileges. Thrown by ``PraxisServer/run``
/// instead of the socket layer's own error, so the operator reads one line that says what to change.
public struct ListenFailure: Error, CustomStringConvertible {
    /// The host and port asked for.
    public let host: String
    public let port: Int
    /// Why not, in words.
    public let reason: String

    public var description: String { "cannot listen on \(host):\(port): \(reason)" }

    /// `error` as a listen failure, when it is one; `nil` for any other error.
    init?(_ error: any Error, host: String, port: Int) {
        switch error {
        case let error as IOError where error.errnoCode == EADDRINUSE:
            reason = "the port is in use (by another praxis serve?)"
        case let error as IOError where error.errnoCode == EADDRNOTAVAIL:
            reason = "the address is not one of this machine's"
        case let error as IOError where error.errnoCode == EACCES:
            reason = "not permitted (ports below 1024 need privileges)"
        case is SocketAddressError, is SocketAddressError.UnknownHost:
            reason = "the host is not known"
        default:
            return nil
        }
        self.host = host
        self.port = port
    }
}
