public import PraxisProtocol

/// Post in a community. Announcements are for owners and moderators; a resource needs a title
/// and an http(s) link or a file reference.
public struct CreatePost: Command, Decodable {
    public var post: PostID
    public var community: CommunityID
    public var kind: PostKind?
    public var title: String?
    public var body: String?
    public var link: String?
    public var fileReference: String?
    public var learningEvent: LearningEventID?
    public var cites: [PostID]?

    public init(
        post: PostID, community: CommunityID, kind: PostKind? = nil, title: String? = nil, body: String? = nil,
        link: String? = nil, fileReference: String? = nil, learningEvent: LearningEventID? = nil, cites: [PostID]? = nil
    ) {
        self.post = post
        self.community = community
        self.kind = kind
        self.title = title
        self.body = body
        self.link = link
        self.fileReference = fileReference
        self.learningEvent = learningEvent
        self.cites = cites
    }

    public func streams(_ input: DecisionInput, actor: Actor) -> [StreamName] {
        [post.stream, community.stream] + (learningEvent.map { [$0.stream] } ?? [])
    }

    public func decide(_ input: DecisionInput, actor: Actor) throws(Rejection) -> [PendingEvent] {
        let me = try input.activeMember(actor)
        let current = try input.visibleCommunity(community, to: me)
        let membership = try input.membership(of: me, in: current)
        try input.requireNotArchived(current)
        guard input.post(post) == nil else { throw Rejection(.alreadyExists, "post \(post) already exists") }
        let kind = self.kind ?? .discussion
        guard kind != .announcement || membership.role.moderates else {
            throw Rejection(.forbidden, "only owners and moderators post announcements")
        }
        if let learningEvent {
            guard let event = input.learningEvent(learningEvent), event.community == community else {
                throw .invalidField("learning_event", "must be a learning event of this community")
            }
        }
        let content = try PostContent(kind: kind, title: title, body: body, link: link, fileReference: fileReference)
        let cites = cites ?? []
        guard cites.count <= 10, !cites.contains(post) else {
            throw .invalidField("cites", "may name at most 10 other posts")
        }
        let event = PostCreated(
            post: post, community: community, author: me.id, kind: kind, title: content.title, body: content.body,
            link: content.link, fileReference: content.fileReference, learningEvent: learningEvent, cites: cites,
            mentions: content.mentions, tags: content.tags)
        return [PendingEvent(post.stream, event)]
    }
}

/// The author: edit a post's title, body or link.
public struct EditPost: Command, Decodable {
    public var post: PostID
    public var title: String?
    public var body: String?
    public var link: String?

    public init(post: PostID, title: String? = nil, body: String? = nil, link: String? = nil) {
        self.post = post
        self.title = title
        self.body = body
        self.link = link
    }

    public func streams(_ input: DecisionInput, actor: Actor) -> [StreamName] { input.threadStreams(post) }

    public func decide(_ input: DecisionInput, actor: Actor) throws(Rejection) -> [PendingEvent] {
        let me = try input.activeMember(actor)
        let (current, _, _) = try input.thread(post, for: me)
        guard current.author == me.id else { throw Rejection(.forbidden, "only the author edits a post") }
        let edits = input.events(of: post.stream)
        let latest = edits.reversed().lazy.compactMap { event -> (String, String?)? in
            if let edited = event as? PostEdited { return (edited.body, edited.link) }
            if let created = event as? PostCreated { return (created.body, created.link) }
            return nil
        }.first
        let content = try PostContent(
            kind: current.kind, title: title ?? current.title, body: body ?? latest?.0, link: link ?? latest?.1,
            fileReference: nil, allowsMissingLink: true)
        let event = PostEdited(
            post: post, title: content.title, body: content.body, link: content.link, mentions: content.mentions,
            tags: content.tags)
        return [PendingEvent(post.stream, event)]
    }
}

/// The author, or an owner or moderator: delete a post (a tombstone).
public struct DeletePost: Command, Decodable {
    public var post: PostID

    public init(post: PostID) { self.post = post }

    public func streams(_ input: DecisionInput, actor: Actor) -> [StreamName] { input.threadStreams(post) }

    public func decide(_ input: DecisionInput, actor: Actor) throws(Rejection) -> [PendingEvent] {
        let me = try input.activeMember(actor)
        let (current, _, membership) = try input.thread(post, for: me)
        guard current.author == me.id || membership.role.moderates else {
            throw Rejection(.forbidden, "only the author or a moderator deletes a post")
        }
        return [PendingEvent(post.stream, PostDeleted(post: post, deletedBy: me.id))]
    }
}

/// Owners and moderators: pin a post (optionally until a time) or unpin it.
public struct SetPostPinned: Command, Decodable {
    public var post: PostID
    public var pinned: Bool
    public var until: Timestamp?

    public init(post: PostID, pinned: Bool, until: Timestamp? = nil) {
        self.post = post
        self.pinned = pinned
        self.until = until
    }

    public func streams(_ input: DecisionInput, actor: Actor) -> [StreamName] { input.threadStreams(post) }

    public func decide(_ input: DecisionInput, actor: Actor) throws(Rejection) -> [PendingEvent] {
        let me = try input.activeMember(actor)
        let (current, community, _) = try input.thread(post, for: me)
        _ = try input.moderation(by: me, in: community)
        guard pinned else {
            guard current.isPinned else { throw Rejection(.invalidState, "the post is not pinned") }
            return [PendingEvent(post.stream, PostUnpinned(post: post, unpinnedBy: me.id))]
        }
        if let until, until <= input.now { throw .invalidField("until", "must be in the future") }
        return [PendingEvent(post.stream, PostPinned(post: post, pinnedBy: me.id, until: until))]
    }
}

/// The validated text of a post, with the mentions and tags found in it.
struct PostContent {
    var title: String
    var body: String
    var link: String?
    var fileReference: String?
    var mentions: [MemberID]
    var tags: [String]

    init(
        kind: PostKind, title: String?, body: String?, link: String?, fileReference: String?,
        allowsMissingLink: Bool = false
    ) throws(Rejection) {
        let titleRequired = kind != .discussion
        self.title = try TextRules.line(
            title ?? "", field: "title", maximumLength: TextRules.maximumTitleLength, required: titleRequired)
        self.body = try TextRules.body(body ?? "", field: "body", required: kind != .resource)
        self.link = try link.map { text throws(Rejection) in try TextRules.link(text, field: "link") }
        self.fileReference = try fileReference.map { text throws(Rejection) in
            try TextRules.line(text, field: "file_reference", maximumLength: 500)
        }
        if kind == .resource && self.link == nil && self.fileReference == nil && !allowsMissingLink {
            throw .invalidField("link", "a resource needs a link or a file_reference")
        }
        mentions = TextRules.mentions(in: self.title + " " + self.body)
        tags = TextRules.hashtags(in: self.title + " " + self.body)
    }
}
