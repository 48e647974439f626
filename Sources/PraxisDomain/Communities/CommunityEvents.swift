public import PraxisProtocol

/// What a community is for.
public enum CommunityKind: String, WireEnum {
    /// Voluntary, owned by the people who started an initiative.
    case practice
    /// Run by learning and development; learners may be assigned.
    case learning
    /// A customer or partner project; guests (external members) allowed.
    case external
}

/// Who may see a community and how one gets in.
public enum CommunityVisibility: String, WireEnum {
    /// Anyone in the organisation may see and join.
    case open
    /// Visible; join by request and approval, or by invitation.
    case closed
    /// Invisible to non-members; join by invitation only.
    case secret
}

/// A member's role in a community. External members are always guests.
public enum CommunityRole: String, WireEnum {
    case owner, moderator, member, guest

    /// Owners and moderators approve, invite, assign, remove, pin and announce.
    public var moderates: Bool { self == .owner || self == .moderator }
}

/// How a membership began; analytics compare them.
public enum MembershipOrigin: String, WireEnum {
    /// Joined an open community, or asked and was approved.
    case voluntary
    /// Accepted an invitation.
    case invited
    /// Assigned to a learning community by its owners.
    case assigned
}

public struct CommunityCreated: DomainEvent {
    public static let type = "community_created"
    public static let schemaVersion: Int64 = 1
    public var community: CommunityID
    public var name: String
    public var description: String
    public var kind: CommunityKind
    public var visibility: CommunityVisibility
    public var tags: [String]
    /// The member who created it; they become its first owner.
    public var creator: MemberID
}

public struct CommunityUpdated: DomainEvent {
    public static let type = "community_updated"
    public static let schemaVersion: Int64 = 1
    public var community: CommunityID
    public var name: String
    public var description: String
    public var visibility: CommunityVisibility
    public var tags: [String]
}

public struct CommunityArchived: DomainEvent {
    public static let type = "community_archived"
    public static let schemaVersion: Int64 = 1
    public var community: CommunityID
}

public struct CommunityUnarchived: DomainEvent {
    public static let type = "community_unarchived"
    public static let schemaVersion: Int64 = 1
    public var community: CommunityID
}

/// A member joined an open community (origin `voluntary`).
public struct MemberJoined: DomainEvent {
    public static let type = "member_joined"
    public static let schemaVersion: Int64 = 1
    public var community: CommunityID
    public var member: MemberID
    public var role: CommunityRole
}

public struct MembershipRequested: DomainEvent {
    public static let type = "membership_requested"
    public static let schemaVersion: Int64 = 1
    public var community: CommunityID
    public var member: MemberID
    public var message: String
}

/// A request was approved; the member is in (origin `voluntary`).
public struct MembershipApproved: DomainEvent {
    public static let type = "membership_approved"
    public static let schemaVersion: Int64 = 1
    public var community: CommunityID
    public var member: MemberID
    public var role: CommunityRole
    public var approvedBy: MemberID
}

public struct MembershipDeclined: DomainEvent {
    public static let type = "membership_declined"
    public static let schemaVersion: Int64 = 1
    public var community: CommunityID
    public var member: MemberID
    public var declinedBy: MemberID
    public var message: String
}

public struct MemberInvited: DomainEvent {
    public static let type = "member_invited"
    public static let schemaVersion: Int64 = 1
    public var community: CommunityID
    public var member: MemberID
    public var invitedBy: MemberID
    public var message: String
}

/// An invitation was accepted; the member is in (origin `invited`).
public struct InvitationAccepted: DomainEvent {
    public static let type = "invitation_accepted"
    public static let schemaVersion: Int64 = 1
    public var community: CommunityID
    public var member: MemberID
    public var role: CommunityRole
}

public struct InvitationDeclined: DomainEvent {
    public static let type = "invitation_declined"
    public static let schemaVersion: Int64 = 1
    public var community: CommunityID
    public var member: MemberID
}

/// A learner was assigned to a learning community (origin `assigned`).
public struct MemberAssigned: DomainEvent {
    public static let type = "member_assigned"
    public static let schemaVersion: Int64 = 1
    public var community: CommunityID
    public var member: MemberID
    public var role: CommunityRole
    public var assignedBy: MemberID
}

public struct MemberLeft: DomainEvent {
    public static let type = "member_left"
    public static let schemaVersion: Int64 = 1
    public var community: CommunityID
    public var member: MemberID
}

public struct MemberRemoved: DomainEvent {
    public static let type = "member_removed"
    public static let schemaVersion: Int64 = 1
    public var community: CommunityID
    public var member: MemberID
    public var removedBy: MemberID
}

public struct MemberRoleChanged: DomainEvent {
    public static let type = "member_role_changed"
    public static let schemaVersion: Int64 = 1
    public var community: CommunityID
    public var member: MemberID
    public var role: CommunityRole
    public var changedBy: MemberID
}
