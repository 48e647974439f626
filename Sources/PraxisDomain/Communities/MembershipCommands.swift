public import PraxisProtocol

/// Join an open community (origin `voluntary`).
public struct JoinCommunity: Command, Decodable {
    public var community: CommunityID

    public init(community: CommunityID) { self.community = community }

    public func streams(_ input: DecisionInput, actor: Actor) -> [StreamName] { [community.stream] }

    public func decide(_ input: DecisionInput, actor: Actor) throws(Rejection) -> [PendingEvent] {
        let me = try input.activeMember(actor)
        let current = try input.visibleCommunity(community, to: me)
        try CommunityRules.requireEligible(me, for: current)
        try input.requireNotArchived(current)
        guard current.visibility == .open else {
            throw Rejection(.approvalRequired, "\(current.name) is not open: ask to join, or be invited")
        }
        let event = MemberJoined(community: community, member: me.id, role: CommunityState.entryRole(for: me))
        return [PendingEvent(community.stream, event)]
    }
}

/// Ask to join a closed community; owners and moderators approve or decline.
public struct RequestMembership: Command, Decodable {
    public var community: CommunityID
    public var message: String?

    public init(community: CommunityID, message: String? = nil) {
        self.community = community
        self.message = message
    }

    public func streams(_ input: DecisionInput, actor: Actor) -> [StreamName] { [community.stream] }

    public func decide(_ input: DecisionInput, actor: Actor) throws(Rejection) -> [PendingEvent] {
        let me = try input.activeMember(actor)
        let current = try input.visibleCommunity(community, to: me)
        try CommunityRules.requireEligible(me, for: current)
        try input.requireNotArchived(current)
        guard current.visibility == .closed else {
            throw Rejection(.invalidState, "\(current.name) is open: join it directly")
        }
        guard current.requests[me.id] == nil else { throw Rejection(.invalidState, "your request is already pending") }
        let text = try TextRules.body(message ?? "", field: "message", maximumLength: 2000, required: false)
        return [PendingEvent(community.stream, MembershipRequested(community: community, member: me.id, message: text))]
    }
}

/// Owners and moderators: approve or decline a pending request. The decline message is kept.
public struct DecideMembershipRequest: Command, Decodable {
    public var community: CommunityID
    public var member: MemberID
    public var approve: Bool
    public var message: String?

    public init(community: CommunityID, member: MemberID, approve: Bool, message: String? = nil) {
        self.community = community
        self.member = member
        self.approve = approve
        self.message = message
    }

    public func streams(_ input: DecisionInput, actor: Actor) -> [StreamName] { [community.stream, member.stream] }

    public func decide(_ input: DecisionInput, actor: Actor) throws(Rejection) -> [PendingEvent] {
        let me = try input.activeMember(actor)
        let current = try input.visibleCommunity(community, to: me)
        _ = try input.moderation(by: me, in: current)
        guard current.requests[member] != nil, let applicant = input.member(member) else {
            throw Rejection(.notFound, "no pending request from \(member)")
        }
        guard approve else {
            let text = try TextRules.body(message ?? "", field: "message", maximumLength: 2000, required: false)
            let event = MembershipDeclined(community: community, member: member, declinedBy: me.id, message: text)
            return [PendingEvent(community.stream, event)]
        }
        try CommunityRules.requireEligible(applicant, for: current)
        try input.requireNotArchived(current)
        let event = MembershipApproved(
            community: community, member: member, role: CommunityState.entryRole(for: applicant), approvedBy: me.id)
        return [PendingEvent(community.stream, event)]
    }
}

/// Owners and moderators: invite a member (guests only into external communities).
public struct InviteMember: Command, Decodable {
    public var community: CommunityID
    public var member: MemberID
    public var message: String?

    public init(community: CommunityID, member: MemberID, message: String? = nil) {
        self.community = community
        self.member = member
        self.message = message
    }

    public func streams(_ input: DecisionInput, actor: Actor) -> [StreamName] { [community.stream, member.stream] }

    public func decide(_ input: DecisionInput, actor: Actor) throws(Rejection) -> [PendingEvent] {
        let me = try input.activeMember(actor)
        let current = try input.visibleCommunity(community, to: me)
        _ = try input.moderation(by: me, in: current)
        try input.requireNotArchived(current)
        guard let invitee = input.member(member) else { throw Rejection(.notFound, "no member \(member)") }
        try CommunityRules.requireEligible(invitee, for: current)
        guard current.invitations[member] == nil else { throw Rejection(.invalidState, "already invited") }
        let text = try TextRules.body(message ?? "", field: "message", maximumLength: 2000, required: false)
        let event = MemberInvited(community: community, member: member, invitedBy: me.id, message: text)
        return [PendingEvent(community.stream, event)]
    }
}

/// The invitee: accept (origin `invited`) or decline an invitation.
public struct RespondToInvitation: Command, Decodable {
    public var community: CommunityID
    public var accept: Bool

    public init(community: CommunityID, accept: Bool) {
        self.community = community
        self.accept = accept
    }

    public func streams(_ input: DecisionInput, actor: Actor) -> [StreamName] { [community.stream] }

    public func decide(_ input: DecisionInput, actor: Actor) throws(Rejection) -> [PendingEvent] {
        let me = try input.activeMember(actor)
        let current = try input.visibleCommunity(community, to: me)
        guard current.invitations[me.id] != nil else { throw Rejection(.invalidState, "you have no invitation") }
        guard accept else { return [PendingEvent(community.stream, InvitationDeclined(community: community, member: me.id))] }
        try CommunityRules.requireEligible(me, for: current)
        try input.requireNotArchived(current)
        let event = InvitationAccepted(community: community, member: me.id, role: CommunityState.entryRole(for: me))
        return [PendingEvent(community.stream, event)]
    }
}

/// Owners and moderators of a learning community: assign a learner (origin `assigned`).
public struct AssignMember: Command, Decodable {
    public var community: CommunityID
    public var member: MemberID

    public init(community: CommunityID, member: MemberID) {
        self.community = community
        self.member = member
    }

    public func streams(_ input: DecisionInput, actor: Actor) -> [StreamName] { [community.stream, member.stream] }

    public func decide(_ input: DecisionInput, actor: Actor) throws(Rejection) -> [PendingEvent] {
        let me = try input.activeMember(actor)
        let current = try input.visibleCommunity(community, to: me)
        _ = try input.moderation(by: me, in: current)
        guard current.kind == .learning else {
            throw Rejection(.invalidState, "only learning communities take assigned learners")
        }
        try input.requireNotArchived(current)
        guard let learner = input.member(member) else { throw Rejection(.notFound, "no member \(member)") }
        try CommunityRules.requireEligible(learner, for: current)
        let event = MemberAssigned(
            community: community, member: member, role: CommunityState.entryRole(for: learner), assignedBy: me.id)
        return [PendingEvent(community.stream, event)]
    }
}

/// Leave a community. The last owner cannot leave.
public struct LeaveCommunity: Command, Decodable {
    public var community: CommunityID

    public init(community: CommunityID) { self.community = community }

    public func streams(_ input: DecisionInput, actor: Actor) -> [StreamName] { [community.stream] }

    public func decide(_ input: DecisionInput, actor: Actor) throws(Rejection) -> [PendingEvent] {
        let me = try input.activeMember(actor)
        let current = try input.visibleCommunity(community, to: me)
        let membership = try input.membership(of: me, in: current)
        if membership.role == .owner && current.owners.count == 1 {
            throw Rejection(.lastOwner, "you are the last owner of \(current.name): make someone else owner first")
        }
        return [PendingEvent(community.stream, MemberLeft(community: community, member: me.id))]
    }
}

/// Owners and moderators: remove a member. Only owners remove owners and moderators, and nobody
/// removes themself (they leave), so the last owner can never be removed.
public struct RemoveMember: Command, Decodable {
    public var community: CommunityID
    public var member: MemberID

    public init(community: CommunityID, member: MemberID) {
        self.community = community
        self.member = member
    }

    public func streams(_ input: DecisionInput, actor: Actor) -> [StreamName] { [community.stream] }

    public func decide(_ input: DecisionInput, actor: Actor) throws(Rejection) -> [PendingEvent] {
        let me = try input.activeMember(actor)
        let current = try input.visibleCommunity(community, to: me)
        let mine = try input.moderation(by: me, in: current)
        guard member != me.id else { throw Rejection(.invalidState, "to remove yourself, leave the community") }
        guard let theirs = current.members[member] else { throw Rejection(.notFound, "\(member) is not a member") }
        guard mine.role == .owner || !theirs.role.moderates else {
            throw Rejection(.forbidden, "only owners remove owners and moderators")
        }
        return [PendingEvent(community.stream, MemberRemoved(community: community, member: member, removedBy: me.id))]
    }
}

/// Owners: change a member's role. Guests stay guests; the last owner cannot step down.
public struct ChangeMemberRole: Command, Decodable {
    public var community: CommunityID
    public var member: MemberID
    public var role: CommunityRole

    public init(community: CommunityID, member: MemberID, role: CommunityRole) {
        self.community = community
        self.member = member
        self.role = role
    }

    public func streams(_ input: DecisionInput, actor: Actor) -> [StreamName] { [community.stream, member.stream] }

    public func decide(_ input: DecisionInput, actor: Actor) throws(Rejection) -> [PendingEvent] {
        let me = try input.activeMember(actor)
        let current = try input.visibleCommunity(community, to: me)
        try CommunityRules.requireOwner(me, in: current, input)
        guard let theirs = current.members[member], let target = input.member(member) else {
            throw Rejection(.notFound, "\(member) is not a member")
        }
        guard !target.isExternal else { throw Rejection(.guestNotAllowed, "external members are always guests") }
        guard role != .guest else { throw .invalidField("role", "guest is for external members only") }
        guard theirs.role != role else { throw Rejection(.invalidState, "the member already has role \(role.rawValue)") }
        if theirs.role == .owner && current.owners.count == 1 {
            throw Rejection(.lastOwner, "make someone else owner before the last owner steps down")
        }
        let event = MemberRoleChanged(community: community, member: member, role: role, changedBy: me.id)
        return [PendingEvent(community.stream, event)]
    }
}
