import PraxisDomain
import PraxisProtocol

/// A post thread as a reader sees it, folded from the post's stream: the post as last edited, its
/// comments in the order they were written (a deleted one as a tombstone without author or text,
/// so that replies keep their place) and reactions counted by kind.
struct ThreadView {
    struct Comment {
        let id: CommentID
        let author: MemberID
        let parent: CommentID?
        var body: String
        var mentions: [MemberID]
        let createdAt: Timestamp
        var editedAt: Timestamp?
        var isDeleted = false
    }

    private(set) var post: PostCreated
    let createdAt: Timestamp
    private(set) var editedAt: Timestamp?
    private(set) var isDeleted = false
    /// `nil` when not pinned; `.some(nil)` when pinned until unpinned.
    private(set) var pinnedUntil: Timestamp??
    private(set) var acceptedComment: CommentID?
    private(set) var comments: [Comment] = []
    private var commentIndex: [CommentID: Int] = [:]
    private var reactions: Set<ReactionKey> = []

    var community: CommunityID { post.community }

    /// The thread after `event`, recorded at `time`; `nil` until the post is created.
    static func evolve(_ view: ThreadView?, _ event: any DomainEvent, at time: Timestamp) -> ThreadView? {
        if let created = event as? PostCreated { return ThreadView(post: created, createdAt: time) }
        guard var view else { return nil }
        view.apply(event, at: time)
        return view
    }

    private mutating func apply(_ event: any DomainEvent, at time: Timestamp) {
        switch event {
        case let edited as PostEdited:
            (post.title, post.body, post.link, post.mentions, post.tags) =
                (edited.title, edited.body, edited.link, edited.mentions, edited.tags)
            editedAt = time
        case is PostDeleted: isDeleted = true
        case let pinned as PostPinned: pinnedUntil = .some(pinned.until)
        case is PostUnpinned: pinnedUntil = nil
        case let added as CommentAdded:
            commentIndex[added.comment] = comments.count
            comments.append(
                Comment(
                    id: added.comment, author: added.author, parent: added.parent, body: added.body,
                    mentions: added.mentions, createdAt: time))
        case let edited as CommentEdited:
            guard let index = commentIndex[edited.comment] else { return }
            (comments[index].body, comments[index].mentions, comments[index].editedAt) = (edited.body, edited.mentions, time)
        case let deleted as CommentDeleted:
            guard let index = commentIndex[deleted.comment] else { return }
            comments[index].isDeleted = true
            if acceptedComment == deleted.comment { acceptedComment = nil }
        case let accepted as AnswerAccepted: acceptedComment = accepted.comment
        case let added as ReactionAdded:
            reactions.insert(ReactionKey(comment: added.comment, member: added.member, reaction: added.reaction))
        case let removed as ReactionRemoved:
            reactions.remove(ReactionKey(comment: removed.comment, member: removed.member, reaction: removed.reaction))
        default: break
        }
    }

    /// The post as `reader` sees it at `now` (a pin that has lapsed is no pin).
    func postJSON(for reader: MemberID, now: Timestamp) -> JSONValue {
        var fields: [String: JSONValue] = [
            "post": .string(post.post.description), "community": .string(post.community.description),
            "author": .string(post.author.description), "kind": .string(post.kind.rawValue), "title": .string(post.title),
            "body": .string(post.body), "cites": .array(post.cites.map { .string($0.description) }),
            "mentions": .array(post.mentions.map { .string($0.description) }), "tags": .array(post.tags.map { .string($0) }),
            "created_at": .string(createdAt.rfc3339),
            "comments": .number(Double(comments.count { !$0.isDeleted })),
        ]
        fields["link"] = post.link.map { .string($0) }
        fields["file_reference"] = post.fileReference.map { .string($0) }
        fields["learning_event"] = post.learningEvent.map { .string($0.description) }
        fields["edited_at"] = editedAt.map { .string($0.rfc3339) }
        fields["accepted_comment"] = acceptedComment.map { .string($0.description) }
        let pinned: Bool
        switch pinnedUntil {
        case .some(.some(let until)): pinned = now < until
        case .some(.none): pinned = true
        case .none: pinned = false
        }
        fields["pinned"] = .bool(pinned)
        if pinned, case .some(.some(let until)) = pinnedUntil { fields["pinned_until"] = .string(until.rfc3339) }
        fields.merge(reactionFields(of: nil, for: reader)) { $1 }
        return .object(fields)
    }

    /// `comment` as `reader` sees it.
    func commentJSON(_ comment: Comment, for reader: MemberID) -> JSONValue {
        var fields: [String: JSONValue] = [
            "comment": .string(comment.id.description), "created_at": .string(comment.createdAt.rfc3339),
            "deleted": .bool(comment.isDeleted),
        ]
        fields["parent"] = comment.parent.map { .string($0.description) }
        guard !comment.isDeleted else { return .object(fields) }
        fields["author"] = .string(comment.author.description)
        fields["body"] = .string(comment.body)
        fields["mentions"] = .array(comment.mentions.map { .string($0.description) })
        fields["edited_at"] = comment.editedAt.map { .string($0.rfc3339) }
        fields.merge(reactionFields(of: comment.id, for: reader)) { $1 }
        return .object(fields)
    }

    /// `reactions` (a count for every kind) and `my_reactions` (the reader's, in kind order) of
    /// the post (`comment` nil) or one of its comments.
    private func reactionFields(of comment: CommentID?, for reader: MemberID) -> [String: JSONValue] {
        let here = reactions.filter { $0.comment == comment }
        var counts: [String: JSONValue] = [:]
        for kind in ReactionKind.allCases { counts[kind.rawValue] = .number(Double(here.count { $0.reaction == kind })) }
        let mine = ReactionKind.allCases.filter { kind in here.contains { $0.member == reader && $0.reaction == kind } }
        return ["reactions": .object(counts), "my_reactions": .array(mine.map { .string($0.rawValue) })]
    }
}
