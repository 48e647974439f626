/// One member's place in a community.
public struct Membership: Sendable, Equatable {
    public var role: CommunityRole
    public var origin: MembershipOrigin

    public init(role: CommunityRole, origin: MembershipOrigin) {
        self.role = role
        self.origin = origin
    }
}

/// A community as its stream tells it.
public struct CommunityState: Aggregate, Equatable {
    public let id: CommunityID
    public var name: String
    public var description: String
    public var kind: CommunityKind
    public var visibility: CommunityVisibility
    public var tags: [String]
    public var isArchived = false
    public var members: [MemberID: Membership]
    /// Pending requests to join, with their messages.
    public var requests: [MemberID: String] = [:]
    /// Pending invitations, with who invited.
    public var invitations: [MemberID: MemberID] = [:]

    /// The owners.
    public var owners: [MemberID] { members.filter { $0.value.role == .owner }.map(\.key) }

    /// Whether `member` may know this community exists: guests see only the external communities
    /// they are in or invited to; a secret community is seen only by its members and invitees.
    public func isVisible(to member: MemberState) -> Bool {
        let involved = members[member.id] != nil || invitations[member.id] != nil
        if member.isExternal { return kind == .external && involved }
        return visibility != .secret || involved
    }

    /// The role a member gets on entering: guests stay guests.
    static func entryRole(for member: MemberState) -> CommunityRole { member.isExternal ? .guest : .member }

    public static func evolve(_ state: CommunityState?, _ event: any DomainEvent) -> CommunityState? {
        if let created = event as? CommunityCreated {
            return CommunityState(
                id: created.community, name: created.name, description: created.description, kind: created.kind,
                visibility: created.visibility, tags: created.tags,
                members: [created.creator: Membership(role: .owner, origin: .voluntary)])
        }
        guard var state else { return nil }
        switch event {
        case let event as CommunityUpdated:
            state.name = event.name
            state.description = event.description
            state.visibility = event.visibility
            state.tags = event.tags
        case is CommunityArchived: state.isArchived = true
        case is CommunityUnarchived: state.isArchived = false
        case let event as MemberJoined: state.admit(event.member, event.role, .voluntary)
        case let event as MembershipRequested: state.requests[event.member] = event.message
        case let event as MembershipApproved: state.admit(event.member, event.role, .voluntary)
        case let event as MembershipDeclined: state.requests[event.member] = nil
        case let event as MemberInvited: state.invitations[event.member] = event.invitedBy
        case let event as InvitationAccepted: state.admit(event.member, event.role, .invited)
        case let event as InvitationDeclined: state.invitations[event.member] = nil
        case let event as MemberAssigned: state.admit(event.member, event.role, .assigned)
        case let event as MemberLeft: state.members[event.member] = nil
        case let event as MemberRemoved: state.members[event.member] = nil
        case let event as MemberRoleChanged: state.members[event.member]?.role = event.role
        default: break
        }
        return state
    }

    private mutating func admit(_ member: MemberID, _ role: CommunityRole, _ origin: MembershipOrigin) {
        members[member] = Membership(role: role, origin: origin)
        requests[member] = nil
        invitations[member] = nil
    }
}

extension DecisionInput {
    /// The community, when `member` may know it exists; `not_found` otherwise, so that a secret
    /// community's existence never leaks.
    public func visibleCommunity(_ id: CommunityID, to member: MemberState) throws(Rejection) -> CommunityState {
        guard let community = community(id), community.isVisible(to: member) else {
            throw Rejection(.notFound, "no community \(id)")
        }
        return community
    }

    /// The actor's membership of `community`; `not_member` when they have none.
    public func membership(of member: MemberState, in community: CommunityState) throws(Rejection) -> Membership {
        guard let membership = community.members[member.id] else {
            throw Rejection(.notMember, "you are not a member of \(community.name)")
        }
        return membership
    }

    /// The actor's membership, which must let them moderate (`forbidden` otherwise).
    public func moderation(by member: MemberState, in community: CommunityState) throws(Rejection) -> Membership {
        let membership = try membership(of: member, in: community)
        guard membership.role.moderates else {
            throw Rejection(.forbidden, "only owners and moderators of \(community.name) may do this")
        }
        return membership
    }

    /// Passes when the community takes new members and content.
    public func requireNotArchived(_ community: CommunityState) throws(Rejection) {
        guard !community.isArchived else { throw Rejection(.archived, "\(community.name) is archived") }
    }
}
