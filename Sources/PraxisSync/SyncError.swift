public import PraxisProtocol

/// Why a sync request was refused. Every code is stable and listed, with how a client recovers,
/// in `Protocol/PROTOCOL.md` §8.
public struct SyncError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The kind of refusal, which decides the HTTP status.
    public enum Kind: Sendable, Hashable {
        /// Malformed or unacceptable input (400).
        case badRequest
        /// The request is not authenticated as a valid device (401).
        case unauthenticated
        /// A cursor the server cannot serve incrementally (410).
        case gone
        /// The request clashes with what was recorded (409).
        case conflict
        /// Too large (413).
        case tooLarge
        /// The log was busy or unreachable; retry (503).
        case unavailable
    }

    public let kind: Kind
    /// The stable, machine-readable code.
    public let code: String
    public let message: String
    /// Extra members of the error object (for example `supported` for `version_not_supported`).
    public var details: [String: JSONValue] = [:]

    public init(_ kind: Kind, _ code: String, _ message: String, details: [String: JSONValue] = [:]) {
        self.kind = kind
        self.code = code
        self.message = message
        self.details = details
    }

    public var description: String { "\(code): \(message)" }

    static func badRequest(_ code: String, _ message: String) -> SyncError { SyncError(.badRequest, code, message) }
    /// A body member that is missing or breaks its rule; the error names it under `field`.
    static func invalidField(_ field: String, _ message: String) -> SyncError {
        SyncError(.badRequest, "invalid_field", message, details: ["field": .string(field)])
    }
    static func unauthenticated(_ code: String, _ message: String) -> SyncError {
        SyncError(.unauthenticated, code, message)
    }
}
