public import Foundation
public import PraxisProtocol

/// What an identifier names; its category prefixes the stream of the thing it names.
public protocol IdentifierKind: Sendable {
    /// The stream category, such as `member` in `member/<uuid>`.
    static var category: String { get }
}

/// A typed UUID: a `MemberID` cannot be passed where a `CommunityID` is expected.
/// On the wire it is the UUID's lowercase form.
public struct Identifier<Kind: IdentifierKind>: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    /// The UUID.
    public let uuid: UUID

    public init(_ uuid: UUID) { self.uuid = uuid }

    /// Parses the wire form (lowercase, hyphenated UUID).
    public init?(_ text: String) {
        guard let uuid = UUID(wireString: text) else { return nil }
        self.uuid = uuid
    }

    /// The stream of the thing this id names: `<category>/<uuid>`.
    public var stream: StreamName {
        // A category is lowercase letters and `_`, and a UUID's wire form is allowed in stream names.
        StreamName(Kind.category + "/" + uuid.wireString)!
    }

    public var description: String { uuid.wireString }

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.uuid.wireString < rhs.uuid.wireString }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let id = Self(text) else {
            throw DecodingError.dataCorrupted(
                .init(codingPath: decoder.codingPath, debugDescription: "must be a lowercase hyphenated UUID"))
        }
        self = id
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(uuid.wireString)
    }
}

public enum MemberTag: IdentifierKind { public static let category = "member" }
public enum CommunityTag: IdentifierKind { public static let category = "community" }
public enum PostTag: IdentifierKind { public static let category = "post" }
public enum CommentTag: IdentifierKind { public static let category = "comment" }
public enum LearningEventTag: IdentifierKind { public static let category = "learning_event" }
public enum MentoringTag: IdentifierKind { public static let category = "mentoring" }
public enum DeviceTag: IdentifierKind { public static let category = "device" }
public enum AccessTokenTag: IdentifierKind { public static let category = "token" }

public typealias MemberID = Identifier<MemberTag>
public typealias CommunityID = Identifier<CommunityTag>
public typealias PostID = Identifier<PostTag>
/// Comments live in their post's stream; this id has no stream of its own.
public typealias CommentID = Identifier<CommentTag>
public typealias LearningEventID = Identifier<LearningEventTag>
public typealias MentoringID = Identifier<MentoringTag>
public typealias DeviceID = Identifier<DeviceTag>
/// Access tokens live in their member's stream; this id has no stream of its own.
public typealias AccessTokenID = Identifier<AccessTokenTag>

extension MemberID {
    /// The stream of this member's mentoring offer and the links they mentor (`mentor/<uuid>`).
    public var mentorStream: StreamName { StreamName("mentor/" + uuid.wireString)! }
}

extension Identifier: JSONSchemaDescribing {
    public static var jsonSchema: JSONValue {
        [
            "type": "string", "pattern": "^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$",
            "description": .string("\(Kind.category) id: a lowercase hyphenated UUID"),
        ]
    }

    public static var schemaExample: Self { Self(UUID(uuid: (0, 0, 0, 0, 0, 0, 0x70, 0, 0x80, 0, 0, 0, 0, 0, 0, 0))) }
}
