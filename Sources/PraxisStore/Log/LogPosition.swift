/// A place in the global log: 1 for the first event, then gap-free, in commit order.
/// Position 0 means "before the first event" (the head of an empty log).
public struct LogPosition: Sendable, Hashable, Comparable, CustomStringConvertible, ExpressibleByIntegerLiteral {
    /// The position as a number.
    public let value: Int64

    public init(_ value: Int64) { self.value = value }
    public init(integerLiteral value: Int64) { self.value = value }

    /// Before the first event.
    public static let start = LogPosition(0)

    /// The position after this one.
    public var next: LogPosition { LogPosition(value + 1) }

    public static func < (lhs: LogPosition, rhs: LogPosition) -> Bool { lhs.value < rhs.value }
    public var description: String { String(value) }
}

/// What a writer expects a stream's version to be before its batch is appended.
public enum ExpectedVersion: Sendable, Hashable, CustomStringConvertible {
    /// No expectation.
    case any
    /// The stream must have no events yet.
    case noStream
    /// The stream's last event must have exactly this version (1-based).
    case exact(Int64)

    /// Whether a stream currently at `version` (0 when it has no events) meets the expectation.
    public func isMet(byCurrentVersion version: Int64) -> Bool {
        switch self {
        case .any: true
        case .noStream: version == 0
        case .exact(let expected): version == expected
        }
    }

    public var description: String {
        switch self {
        case .any: "any"
        case .noStream: "no_stream"
        case .exact(let version): String(version)
        }
    }
}

/// Which way to read a stream.
public enum ReadDirection: Sendable, Hashable {
    /// Oldest first.
    case forward
    /// Newest first.
    case backward
}
