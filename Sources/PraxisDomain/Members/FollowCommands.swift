public import PraxisProtocol

/// Follow or unfollow another member.
public struct FollowMember: Command, Decodable {
    public var member: MemberID
    public var follow: Bool

    public init(member: MemberID, follow: Bool = true) {
        self.member = member
        self.follow = follow
    }

    public func streams(_ input: DecisionInput, actor: Actor) -> [StreamName] { [member.stream] }

    public func decide(_ input: DecisionInput, actor: Actor) throws(Rejection) -> [PendingEvent] {
        let me = try input.activeMember(actor)
        guard member != me.id else { throw .invalidField("member", "must be someone else") }
        guard let target = input.member(member), target.isActive || !follow else {
            throw Rejection(.notFound, "no member \(member)")
        }
        guard me.followedMembers.contains(member) != follow else {
            throw Rejection(.invalidState, follow ? "you already follow \(target.displayName)" : "you do not follow them")
        }
        let event: any DomainEvent =
            follow ? MemberFollowed(follower: me.id, member: member) : MemberUnfollowed(follower: me.id, member: member)
        return [PendingEvent(me.id.stream, event)]
    }
}

/// Follow or unfollow a community one may see.
public struct FollowCommunity: Command, Decodable {
    public var community: CommunityID
    public var follow: Bool

    public init(community: CommunityID, follow: Bool = true) {
        self.community = community
        self.follow = follow
    }

    public func streams(_ input: DecisionInput, actor: Actor) -> [StreamName] { [community.stream] }

    public func decide(_ input: DecisionInput, actor: Actor) throws(Rejection) -> [PendingEvent] {
        let me = try input.activeMember(actor)
        if follow { _ = try input.visibleCommunity(community, to: me) }
        guard me.followedCommunities.contains(community) != follow else {
            throw Rejection(.invalidState, follow ? "you already follow this community" : "you do not follow it")
        }
        let event: any DomainEvent =
            follow
            ? CommunityFollowed(follower: me.id, community: community)
            : CommunityUnfollowed(follower: me.id, community: community)
        return [PendingEvent(me.id.stream, event)]
    }
}
