/// A member as their stream tells it.
public struct MemberState: Aggregate, Equatable {
    public let id: MemberID
    public var displayName: String
    public var email: String
    public var region: String
    public var department: String
    public var title: String
    public var leadership: LeadershipLevel
    public var isExternal: Bool
    public var organization: String?
    public var isActive = true
    public var followedMembers: Set<MemberID> = []
    public var followedCommunities: Set<CommunityID> = []
    /// Active tokens and their hashes.
    public var accessTokens: [AccessTokenID: String] = [:]

    public static func evolve(_ state: MemberState?, _ event: any DomainEvent) -> MemberState? {
        if let registered = event as? MemberRegistered {
            return MemberState(
                id: registered.member, displayName: registered.displayName, email: registered.email,
                region: registered.region, department: registered.department, title: registered.title,
                leadership: registered.leadership, isExternal: registered.external, organization: registered.organization)
        }
        guard var state else { return nil }
        switch event {
        case let event as MemberProfileUpdated:
            state.displayName = event.displayName
            state.email = event.email
            state.title = event.title
            state.leadership = event.leadership
            state.organization = event.organization
        case let event as MemberMoved:
            state.region = event.region
            state.department = event.department
        case is MemberDeactivated: state.isActive = false
        case is MemberReactivated: state.isActive = true
        case let event as AccessTokenIssued: state.accessTokens[event.token] = event.tokenHash
        case let event as AccessTokenRevoked: state.accessTokens[event.token] = nil
        case let event as MemberFollowed: state.followedMembers.insert(event.member)
        case let event as MemberUnfollowed: state.followedMembers.remove(event.member)
        case let event as CommunityFollowed: state.followedCommunities.insert(event.community)
        case let event as CommunityUnfollowed: state.followedCommunities.remove(event.community)
        default: break
        }
        return state
    }
}
