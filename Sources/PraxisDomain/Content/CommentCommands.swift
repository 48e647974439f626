public import PraxisProtocol

/// Members of the post's community: comment on a post, or reply to a top-level comment.
public struct AddComment: Command, Decodable {
    public var post: PostID
    public var comment: CommentID
    public var parent: CommentID?
    public var body: String

    public init(post: PostID, comment: CommentID, parent: CommentID? = nil, body: String) {
        self.post = post
        self.comment = comment
        self.parent = parent
        self.body = body
    }

    public func streams(_ input: DecisionInput, actor: Actor) -> [StreamName] { input.threadStreams(post) }

    public func decide(_ input: DecisionInput, actor: Actor) throws(Rejection) -> [PendingEvent] {
        let me = try input.activeMember(actor)
        let (current, community, _) = try input.thread(post, for: me)
        try input.requireNotArchived(community)
        guard current.comments[comment] == nil else { throw Rejection(.alreadyExists, "comment \(comment) exists") }
        if let parent {
            guard let parentComment = current.comments[parent], !parentComment.isDeleted else {
                throw Rejection(.notFound, "no comment \(parent) on this post")
            }
            guard parentComment.parent == nil else {
                throw .invalidField("parent", "replies go one level deep: reply to the top-level comment")
            }
        }
        let text = try TextRules.body(body, field: "body")
        let event = CommentAdded(
            post: post, comment: comment, author: me.id, parent: parent, body: text, mentions: TextRules.mentions(in: text))
        return [PendingEvent(post.stream, event)]
    }
}

/// The author: edit a comment.
public struct EditComment: Command, Decodable {
    public var post: PostID
    public var comment: CommentID
    public var body: String

    public init(post: PostID, comment: CommentID, body: String) {
        self.post = post
        self.comment = comment
        self.body = body
    }

    public func streams(_ input: DecisionInput, actor: Actor) -> [StreamName] { input.threadStreams(post) }

    public func decide(_ input: DecisionInput, actor: Actor) throws(Rejection) -> [PendingEvent] {
        let me = try input.activeMember(actor)
        let (current, _, _) = try input.thread(post, for: me)
        guard let existing = current.comments[comment], !existing.isDeleted else {
            throw Rejection(.notFound, "no comment \(comment) on this post")
        }
        guard existing.author == me.id else { throw Rejection(.forbidden, "only the author edits a comment") }
        let text = try TextRules.body(body, field: "body")
        let event = CommentEdited(post: post, comment: comment, body: text, mentions: TextRules.mentions(in: text))
        return [PendingEvent(post.stream, event)]
    }
}

/// The author, or an owner or moderator: delete a comment.
public struct DeleteComment: Command, Decodable {
    public var post: PostID
    public var comment: CommentID

    public init(post: PostID, comment: CommentID) {
        self.post = post
        self.comment = comment
    }

    public func streams(_ input: DecisionInput, actor: Actor) -> [StreamName] { input.threadStreams(post) }

    public func decide(_ input: DecisionInput, actor: Actor) throws(Rejection) -> [PendingEvent] {
        let me = try input.activeMember(actor)
        let (current, _, membership) = try input.thread(post, for: me)
        guard let existing = current.comments[comment], !existing.isDeleted else {
            throw Rejection(.notFound, "no comment \(comment) on this post")
        }
        guard existing.author == me.id || membership.role.moderates else {
            throw Rejection(.forbidden, "only the author or a moderator deletes a comment")
        }
        return [PendingEvent(post.stream, CommentDeleted(post: post, comment: comment, deletedBy: me.id))]
    }
}

/// Members: add or remove a reaction to a post or one of its comments.
public struct React: Command, Decodable {
    public var post: PostID
    public var comment: CommentID?
    public var reaction: ReactionKind
    public var add: Bool

    public init(post: PostID, comment: CommentID? = nil, reaction: ReactionKind, add: Bool = true) {
        self.post = post
        self.comment = comment
        self.reaction = reaction
        self.add = add
    }

    public func streams(_ input: DecisionInput, actor: Actor) -> [StreamName] { input.threadStreams(post) }

    public func decide(_ input: DecisionInput, actor: Actor) throws(Rejection) -> [PendingEvent] {
        let me = try input.activeMember(actor)
        let (current, _, _) = try input.thread(post, for: me)
        if let comment {
            guard let target = current.comments[comment], !target.isDeleted else {
                throw Rejection(.notFound, "no comment \(comment) on this post")
            }
        }
        let key = ReactionKey(comment: comment, member: me.id, reaction: reaction)
        if add {
            guard !current.reactions.contains(key) else { throw Rejection(.invalidState, "you already reacted so") }
            return [PendingEvent(post.stream, ReactionAdded(post: post, comment: comment, member: me.id, reaction: reaction))]
        }
        guard current.reactions.contains(key) else { throw Rejection(.notFound, "you have no such reaction") }
        return [PendingEvent(post.stream, ReactionRemoved(post: post, comment: comment, member: me.id, reaction: reaction))]
    }
}

/// The question's author, or an owner or moderator: accept a top-level comment as the answer.
public struct AcceptAnswer: Command, Decodable {
    public var post: PostID
    public var comment: CommentID

    public init(post: PostID, comment: CommentID) {
        self.post = post
        self.comment = comment
    }

    public func streams(_ input: DecisionInput, actor: Actor) -> [StreamName] { input.threadStreams(post) }

    public func decide(_ input: DecisionInput, actor: Actor) throws(Rejection) -> [PendingEvent] {
        let me = try input.activeMember(actor)
        let (current, _, membership) = try input.thread(post, for: me)
        guard current.kind == .question else { throw Rejection(.notAQuestion, "only a question has an answer") }
        guard current.author == me.id || membership.role.moderates else {
            throw Rejection(.forbidden, "only the question's author or a moderator accepts an answer")
        }
        guard let answer = current.comments[comment], !answer.isDeleted, answer.parent == nil else {
            throw Rejection(.notFound, "no top-level comment \(comment) on this question")
        }
        guard current.acceptedAnswer != comment else { throw Rejection(.invalidState, "already the accepted answer") }
        return [PendingEvent(post.stream, AnswerAccepted(post: post, comment: comment, acceptedBy: me.id))]
    }
}
