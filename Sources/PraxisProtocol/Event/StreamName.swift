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
        // One pass over the bytes: every stored event's name is checked when it is read.
        let slash = UInt8(ascii: "/")
        var count = 0
        var previous: UInt8 = 0
        for byte in rawValue.utf8 {
            guard Self.isAllowed(byte), byte != slash || previous != slash else { return nil }
            if count == 0 && !(UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) { return nil }
            previous = byte
            count += 1
        }
        guard (1...Self.maximumLength).contains(count), previous != slash else { return nil }
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
