/// The name of an event stream: a category and an id, such as `community/0190f5a0-…`.
///
/// Allowed: 1–200 ASCII characters from letters, digits and `_ - . : /`, starting with a lowercase
/// letter; `/` separates non-empty segments.
public struct StreamName: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The longest name accepted.
    public static let maximumLength = 200

    /// The name.
    public let rawValue: String

    /// Validates `rawValue`; `nil` when it breaks the rules above.
    public init?(_ rawValue: String) {
        let bytes = Array(rawValue.utf8)
        guard (1...Self.maximumLength).contains(bytes.count), let first = bytes.first,
            (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(first), bytes.last != UInt8(ascii: "/"),
            bytes.allSatisfy(Self.isAllowed), !rawValue.contains("//")
        else { return nil }
        self.rawValue = rawValue
    }

    public var description: String { rawValue }

    public static func < (lhs: StreamName, rhs: StreamName) -> Bool { lhs.rawValue < rhs.rawValue }

    private static func isAllowed(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "_"), UInt8(ascii: "-"), UInt8(ascii: "."),
            UInt8(ascii: ":"), UInt8(ascii: "/"):
            return true
        default:
            return false
        }
    }
}

/// The name of an event type, in snake_case: `post_created`, `member_joined`.
///
/// Allowed: 1–100 characters from lowercase letters, digits and `_`, starting with a letter.
public struct EventTypeName: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The longest name accepted.
    public static let maximumLength = 100

    /// The name.
    public let rawValue: String

    /// Validates `rawValue`; `nil` when it breaks the rules above.
    public init?(_ rawValue: String) {
        let bytes = Array(rawValue.utf8)
        guard (1...Self.maximumLength).contains(bytes.count), let first = bytes.first,
            (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(first),
            bytes.allSatisfy({
                (UInt8(ascii: "a")...UInt8(ascii: "z")).contains($0) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0)
                    || $0 == UInt8(ascii: "_")
            })
        else { return nil }
        self.rawValue = rawValue
    }

    public var description: String { rawValue }

    public static func < (lhs: EventTypeName, rhs: EventTypeName) -> Bool { lhs.rawValue < rhs.rawValue }
}
