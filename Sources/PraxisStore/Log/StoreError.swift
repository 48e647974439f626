public import Foundation
public import PraxisProtocol

/// A failed store operation, with a stable code and the context needed to recover.
///
/// ```swift
/// do {
///     _ = try await store.append([event], conditions: [stream: .exact(3)])
/// } catch where error.code == .wrongExpectedVersion {
///     // reload the stream from error.actualVersion and decide again
/// }
/// ```
public struct StoreError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A stable, machine-readable reason, in snake_case on the wire.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        public let description: String
        private init(_ description: String) { self.description = description }

        /// A stream was not at the version the writer expected; see ``StoreError/stream`` and
        /// ``StoreError/actualVersion``.
        public static let wrongExpectedVersion = Code("wrong_expected_version")
        /// An event id was used before for different content; see ``StoreError/eventID``.
        public static let idConflict = Code("id_conflict")
        /// Some events of the batch were appended before and some were not; a batch is atomic, so a
        /// retry must resend exactly the batch that was first sent.
        public static let partialDuplicate = Code("partial_duplicate")
        /// The batch breaks a rule: empty, an id twice, too many events or bytes.
        public static let invalidBatch = Code("invalid_batch")
        /// A stored row does not decode to the event it claims to be; see ``StoreError/position``.
        public static let corruptEvent = Code("corrupt_event")
        /// A position or tree size beyond the log (or below 1).
        public static let outOfRange = Code("out_of_range")
        /// No log exists where one was expected.
        public static let logNotFound = Code("log_not_found")
        /// The storage failed (I/O, disk full, locked, connection lost). Nothing was written; retry later.
        public static let unavailable = Code("unavailable")
    }

    /// The reason.
    public let code: Code
    /// A human-readable explanation; never contains SQL.
    public let message: String
    /// The stream concerned, for ``Code/wrongExpectedVersion``.
    public var stream: StreamName?
    /// The stream's actual version (0 when it has no events), for ``Code/wrongExpectedVersion``.
    public var actualVersion: Int64?
    /// The event id concerned, for ``Code/idConflict``.
    public var eventID: UUID?
    /// The log position concerned, for ``Code/corruptEvent``.
    public var position: LogPosition?

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "\(code): \(message)" }

    package static func wrongExpectedVersion(_ stream: StreamName, expected: ExpectedVersion, actual: Int64) -> StoreError {
        var error = StoreError(
            .wrongExpectedVersion, "stream \(stream) is at version \(actual), expected \(expected)")
        error.stream = stream
        error.actualVersion = actual
        return error
    }

    package static func idConflict(_ id: UUID) -> StoreError {
        var error = StoreError(.idConflict, "event id \(id.wireString) was already used for different content")
        error.eventID = id
        return error
    }

    static func corruptEvent(at position: LogPosition, _ detail: String) -> StoreError {
        var error = StoreError(.corruptEvent, "the event at position \(position) is corrupt: \(detail)")
        error.position = position
        return error
    }
}
