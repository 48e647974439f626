public import PraxisProtocol

/// What a post is.
public enum PostKind: String, WireEnum {
    case discussion, question, announcement
    case successStory = "success_story"
    case bestPractice = "best_practice"
    case resource
}

/// A reaction to a post or comment.
public enum ReactionKind: String, WireEnum {
    case like, thanks, insightful
}

/// A post was created. Schema version 2 added `kind`; version 1 posts are read as `discussion`.
public struct PostCreated: DomainEvent {
    public static let type = "post_created"
    public static let schemaVersion: Int64 = 2
    public var post: PostID
    public var community: CommunityID
    public var author: MemberID
    public var kind: PostKind
    public var title: String
    public var body: String
    public var link: String?
    public var fileReference: String?
    /// The learning event whose backchannel or resources this post belongs to.
    public var learningEvent: LearningEventID?
    /// Earlier threads this post cites as its origin (a success story names what led to it).
    public var cites: [PostID]
    public var mentions: [MemberID]
    public var tags: [String]
}

/// The author edited a post; the earlier text stays in the log as history.
public struct PostEdited: DomainEvent {
    public static let type = "post_edited"
    public static let schemaVersion: Int64 = 1
    public var post: PostID
    public var title: String
    public var body: String
    public var link: String?
    public var mentions: [MemberID]
    public var tags: [String]
}

/// A post was deleted: a tombstone; it leaves every read model.
public struct PostDeleted: DomainEvent {
    public static let type = "post_deleted"
    public static let schemaVersion: Int64 = 1
    public var post: PostID
    public var deletedBy: MemberID
}

public struct PostPinned: DomainEvent {
    public static let type = "post_pinned"
    public static let schemaVersion: Int64 = 1
    public var post: PostID
    public var pinnedBy: MemberID
    /// When the pin lapses by itself, if ever.
    public var until: Timestamp?
}

public struct PostUnpinned: DomainEvent {
    public static let type = "post_unpinned"
    public static let schemaVersion: Int64 = 1
    public var post: PostID
    public var unpinnedBy: MemberID
}

/// A comment on a post, or a reply to a top-level comment (one level only).
public struct CommentAdded: DomainEvent {
    public static let type = "comment_added"
    public static let schemaVersion: Int64 = 1
    public var post: PostID
    public var comment: CommentID
    public var author: MemberID
    public var parent: CommentID?
    public var body: String
    public var mentions: [MemberID]
}

public struct CommentEdited: DomainEvent {
    public static let type = "comment_edited"
    public static let schemaVersion: Int64 = 1
    public var post: PostID
    public var comment: CommentID
    public var body: String
    public var mentions: [MemberID]
}

public struct CommentDeleted: DomainEvent {
    public static let type = "comment_deleted"
    public static let schemaVersion: Int64 = 1
    public var post: PostID
    public var comment: CommentID
    public var deletedBy: MemberID
}

public struct ReactionAdded: DomainEvent {
    public static let type = "reaction_added"
    public static let schemaVersion: Int64 = 1
    public var post: PostID
    /// The comment reacted to; `nil` for the post itself.
    public var comment: CommentID?
    public var member: MemberID
    public var reaction: ReactionKind
}

public struct ReactionRemoved: DomainEvent {
    public static let type = "reaction_removed"
    public static let schemaVersion: Int64 = 1
    public var post: PostID
    public var comment: CommentID?
    public var member: MemberID
    public var reaction: ReactionKind
}

/// A comment was accepted as the answer to a question.
public struct AnswerAccepted: DomainEvent {
    public static let type = "answer_accepted"
    public static let schemaVersion: Int64 = 1
    public var post: PostID
    public var comment: CommentID
    public var acceptedBy: MemberID
}
