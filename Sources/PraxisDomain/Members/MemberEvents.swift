public import PraxisProtocol

/// How senior a member is; leader engagement is measured for `senior` and `executive`.
public enum LeadershipLevel: String, WireEnum {
    case contributor, manager, senior, executive
}

/// An operator added a member. External members are customers' or partners' people (guests).
public struct MemberRegistered: DomainEvent {
    public static let type = "member_registered"
    public static let schemaVersion: Int64 = 1
    public var member: MemberID
    public var displayName: String
    public var email: String
    public var region: String
    public var department: String
    public var title: String
    public var leadership: LeadershipLevel
    public var external: Bool
    public var organization: String?
}

/// A member's name, e-mail, title, leadership level or organisation changed.
public struct MemberProfileUpdated: DomainEvent {
    public static let type = "member_profile_updated"
    public static let schemaVersion: Int64 = 1
    public var member: MemberID
    public var displayName: String
    public var email: String
    public var title: String
    public var leadership: LeadershipLevel
    public var organization: String?
}

/// A member moved to another region or department (later analytics use the place at each moment).
public struct MemberMoved: DomainEvent {
    public static let type = "member_moved"
    public static let schemaVersion: Int64 = 1
    public var member: MemberID
    public var region: String
    public var department: String
}

/// An operator deactivated a member; a deactivated member can do nothing.
public struct MemberDeactivated: DomainEvent {
    public static let type = "member_deactivated"
    public static let schemaVersion: Int64 = 1
    public var member: MemberID
}

/// An operator reactivated a member.
public struct MemberReactivated: DomainEvent {
    public static let type = "member_reactivated"
    public static let schemaVersion: Int64 = 1
    public var member: MemberID
}

/// An operator issued an access token; only its SHA-256 is recorded.
public struct AccessTokenIssued: DomainEvent {
    public static let type = "access_token_issued"
    public static let schemaVersion: Int64 = 1
    public var member: MemberID
    public var token: AccessTokenID
    /// SHA-256 of the token, unpadded base64url.
    public var tokenHash: String
}

/// An access token was revoked; it authenticates nobody from here on.
public struct AccessTokenRevoked: DomainEvent {
    public static let type = "access_token_revoked"
    public static let schemaVersion: Int64 = 1
    public var member: MemberID
    public var token: AccessTokenID
}

/// A member started following another member.
public struct MemberFollowed: DomainEvent {
    public static let type = "member_followed"
    public static let schemaVersion: Int64 = 1
    public var follower: MemberID
    public var member: MemberID
}

/// A member stopped following another member.
public struct MemberUnfollowed: DomainEvent {
    public static let type = "member_unfollowed"
    public static let schemaVersion: Int64 = 1
    public var follower: MemberID
    public var member: MemberID
}

/// A member started following a community.
public struct CommunityFollowed: DomainEvent {
    public static let type = "community_followed"
    public static let schemaVersion: Int64 = 1
    public var follower: MemberID
    public var community: CommunityID
}

/// A member stopped following a community.
public struct CommunityUnfollowed: DomainEvent {
    public static let type = "community_unfollowed"
    public static let schemaVersion: Int64 = 1
    public var follower: MemberID
    public var community: CommunityID
}
