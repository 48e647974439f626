public import PraxisProtocol

/// A comment in a thread.
public struct CommentState: Sendable, Equatable {
    public var author: MemberID
    public var parent: CommentID?
    public var isDeleted = false
}

/// Who reacted how to what.
public struct ReactionKey: Hashable, Sendable {
    public var comment: CommentID?
    public var member: MemberID
    public var reaction: ReactionKind

    public init(comment: CommentID?, member: MemberID, reaction: ReactionKind) {
        self.comment = comment
        self.member = member
        self.reaction = reaction
    }
}

/// A post thread as its stream tells it: the post, its comments and reactions.
public struct PostState: Aggregate, Equatable {
    public let id: PostID
    public let community: CommunityID
    public let author: MemberID
    public var kind: PostKind
    public var title: String
    public var isDeleted = false
    public var pinnedUntil: Timestamp??
    public var acceptedAnswer: CommentID?
    public var comments: [CommentID: CommentState] = [:]
    public var reactions: Set<ReactionKey> = []

    public var isPinned: Bool { pinnedUntil != nil }

    public static func evolve(_ state: PostState?, _ event: any DomainEvent) -> PostState? {
        if let created = event as? PostCreated {
            return PostState(
                id: created.post, community: created.community, author: created.author, kind: created.kind,
                title: created.title)
        }
        guard var state else { return nil }
        switch event {
        case let event as PostEdited: state.title = event.title
        case is PostDeleted: state.isDeleted = true
        case let event as PostPinned: state.pinnedUntil = .some(event.until)
        case is PostUnpinned: state.pinnedUntil = nil
        case let event as CommentAdded:
            state.comments[event.comment] = CommentState(author: event.author, parent: event.parent)
        case let event as CommentDeleted:
            state.comments[event.comment]?.isDeleted = true
            if state.acceptedAnswer == event.comment { state.acceptedAnswer = nil }
        case let event as ReactionAdded:
            state.reactions.insert(ReactionKey(comment: event.comment, member: event.member, reaction: event.reaction))
        case let event as ReactionRemoved:
            state.reactions.remove(ReactionKey(comment: event.comment, member: event.member, reaction: event.reaction))
        case let event as AnswerAccepted: state.acceptedAnswer = event.comment
        default: break
        }
        return state
    }
}

extension DecisionInput {
    /// The post, its community and the actor's membership, when the actor may see the post:
    /// `not_found` for deleted posts and posts in communities they may not know of.
    func thread(_ id: PostID, for member: MemberState) throws(Rejection) -> (PostState, CommunityState, Membership) {
        guard let post = post(id), !post.isDeleted else { throw Rejection(.notFound, "no post \(id)") }
        let community: CommunityState
        do {
            community = try visibleCommunity(post.community, to: member)
        } catch {
            throw Rejection(.notFound, "no post \(id)")
        }
        return (post, community, try membership(of: member, in: community))
    }

    /// The streams of a post and, once the post is loaded, its community.
    func threadStreams(_ id: PostID) -> [StreamName] {
        [id.stream] + (post(id).map { [$0.community.stream] } ?? [])
    }
}
