public import PraxisProtocol

/// Create a community; the creator becomes its first owner. Guests cannot create communities.
public struct CreateCommunity: Command, Decodable {
    public var community: CommunityID
    public var name: String
    public var description: String?
    public var kind: CommunityKind
    public var visibility: CommunityVisibility
    public var tags: [String]?

    public init(
        community: CommunityID, name: String, description: String? = nil, kind: CommunityKind,
        visibility: CommunityVisibility, tags: [String]? = nil
    ) {
        self.community = community
        self.name = name
        self.description = description
        self.kind = kind
        self.visibility = visibility
        self.tags = tags
    }

    public func streams(_ input: DecisionInput, actor: Actor) -> [StreamName] { [community.stream] }

    public func decide(_ input: DecisionInput, actor: Actor) throws(Rejection) -> [PendingEvent] {
        let me = try input.activeMember(actor)
        guard !me.isExternal else { throw Rejection(.forbidden, "guests cannot create communities") }
        guard input.community(community) == nil else {
            throw Rejection(.alreadyExists, "community \(community) already exists")
        }
        let event = CommunityCreated(
            community: community, name: try TextRules.line(name, field: "name"),
            description: try TextRules.body(description ?? "", field: "description", maximumLength: 2000, required: false),
            kind: kind, visibility: visibility, tags: try TextRules.tags(tags ?? [], field: "tags"), creator: me.id)
        return [PendingEvent(community.stream, event)]
    }
}

/// Owners: change name, description, visibility or tags.
public struct UpdateCommunity: Command, Decodable {
    public var community: CommunityID
    public var name: String?
    public var description: String?
    public var visibility: CommunityVisibility?
    public var tags: [String]?

    public init(
        community: CommunityID, name: String? = nil, description: String? = nil, visibility: CommunityVisibility? = nil,
        tags: [String]? = nil
    ) {
        self.community = community
        self.name = name
        self.description = description
        self.visibility = visibility
        self.tags = tags
    }

    public func streams(_ input: DecisionInput, actor: Actor) -> [StreamName] { [community.stream] }

    public func decide(_ input: DecisionInput, actor: Actor) throws(Rejection) -> [PendingEvent] {
        let me = try input.activeMember(actor)
        let current = try input.visibleCommunity(community, to: me)
        try CommunityRules.requireOwner(me, in: current, input)
        let event = CommunityUpdated(
            community: community,
            name: try name.map { text throws(Rejection) in try TextRules.line(text, field: "name") } ?? current.name,
            description: try description.map { text throws(Rejection) in
                try TextRules.body(text, field: "description", maximumLength: 2000, required: false)
            } ?? current.description,
            visibility: visibility ?? current.visibility,
            tags: try tags.map { list throws(Rejection) in try TextRules.tags(list, field: "tags") } ?? current.tags)
        return [PendingEvent(community.stream, event)]
    }
}

/// Owners: archive a community (no new members or content) or bring it back.
public struct SetCommunityArchived: Command, Decodable {
    public var community: CommunityID
    public var archived: Bool

    public init(community: CommunityID, archived: Bool) {
        self.community = community
        self.archived = archived
    }

    public func streams(_ input: DecisionInput, actor: Actor) -> [StreamName] { [community.stream] }

    public func decide(_ input: DecisionInput, actor: Actor) throws(Rejection) -> [PendingEvent] {
        let me = try input.activeMember(actor)
        let current = try input.visibleCommunity(community, to: me)
        try CommunityRules.requireOwner(me, in: current, input)
        guard current.isArchived != archived else {
            throw Rejection(.invalidState, "\(current.name) is already \(archived ? "archived" : "active")")
        }
        let event: any DomainEvent =
            archived ? CommunityArchived(community: community) : CommunityUnarchived(community: community)
        return [PendingEvent(community.stream, event)]
    }
}

enum CommunityRules {
    static func requireOwner(_ member: MemberState, in community: CommunityState, _ input: DecisionInput)
        throws(Rejection)
    {
        guard try input.membership(of: member, in: community).role == .owner else {
            throw Rejection(.forbidden, "only owners of \(community.name) may do this")
        }
    }

    /// Passes when `member` may enter `community` at all: active, not already in, and a guest only
    /// into an external community.
    static func requireEligible(_ member: MemberState, for community: CommunityState) throws(Rejection) {
        guard member.isActive else { throw Rejection(.memberDeactivated, "\(member.displayName) is deactivated") }
        guard community.members[member.id] == nil else {
            throw Rejection(.alreadyMember, "\(member.displayName) is already a member of \(community.name)")
        }
        guard !member.isExternal || community.kind == .external else {
            throw Rejection(.guestNotAllowed, "external members may only join external communities")
        }
    }
}
