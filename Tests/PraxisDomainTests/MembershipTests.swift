import Foundation
import PraxisCommands
import PraxisDomain
import PraxisProtocol
import PraxisStore
import Testing

@Suite("Communities and membership")
struct MembershipTests {
    @Test("open communities: join with origin voluntary; once; not when archived")
    func joinOpen() async throws {
        let org = try Organisation()
        let owner = try await org.member("Olga")
        let ada = try await org.member("Ada")
        let community = try await org.community("Swift", owner: owner)
        try await org.run(JoinCommunity(community: community), as: .member(ada))
        try await org.expectRejection(.alreadyMember, JoinCommunity(community: community), as: .member(ada))
        #expect(try await org.communityState(community)?.members[ada] == Membership(role: .member, origin: .voluntary))
        let late = try await org.member("Late")
        try await org.expectRejection(.forbidden, SetCommunityArchived(community: community, archived: true), as: .member(ada))
        try await org.run(SetCommunityArchived(community: community, archived: true), as: .member(owner))
        try await org.expectRejection(.archived, JoinCommunity(community: community), as: .member(late))
        try await org.run(SetCommunityArchived(community: community, archived: false), as: .member(owner))
        try await org.run(JoinCommunity(community: community), as: .member(late))
    }

    @Test("closed communities: request, then approve (voluntary) or decline with a kept message")
    func requestApproval() async throws {
        let org = try Organisation()
        let owner = try await org.member("Olga")
        let ada = try await org.member("Ada")
        let bob = try await org.member("Bob")
        let community = try await org.community("Leads", visibility: .closed, owner: owner)
        try await org.expectRejection(.approvalRequired, JoinCommunity(community: community), as: .member(ada))
        try await org.run(RequestMembership(community: community, message: "I lead a team"), as: .member(ada))
        try await org.expectRejection(.invalidState, RequestMembership(community: community), as: .member(ada))
        try await org.run(RequestMembership(community: community), as: .member(bob))
        try await org.expectRejection(
            .notMember, DecideMembershipRequest(community: community, member: bob, approve: true), as: .member(ada))
        try await org.run(DecideMembershipRequest(community: community, member: ada, approve: true), as: .member(owner))
        let declined = try await org.run(
            DecideMembershipRequest(community: community, member: bob, approve: false, message: "Leads only"),
            as: .member(owner))
        #expect(declined.first?.envelope.payload["message"] == "Leads only")
        try await org.expectRejection(
            .notFound, DecideMembershipRequest(community: community, member: bob, approve: true), as: .member(owner))
        let state = try await org.communityState(community)
        #expect(state?.members[ada]?.origin == .voluntary)
        #expect(state?.members[bob] == nil)
        let openOne = try await org.community("Open", owner: owner)
        try await org.expectRejection(.invalidState, RequestMembership(community: openOne), as: .member(bob))
    }

    @Test("secret communities are invisible to outsiders: every command answers not_found")
    func secretStaysSecret() async throws {
        let org = try Organisation()
        let owner = try await org.member("Olga")
        let outsider = try await org.member("Otto")
        let secret = try await org.community("Board", visibility: .secret, owner: owner)
        try await org.expectRejection(.notFound, JoinCommunity(community: secret), as: .member(outsider))
        try await org.expectRejection(.notFound, RequestMembership(community: secret), as: .member(outsider))
        try await org.expectRejection(.notFound, LeaveCommunity(community: secret), as: .member(outsider))
        try await org.expectRejection(
            .notFound, CreatePost(post: PostID(UUID()), community: secret, body: "hi"), as: .member(outsider))
        try await org.expectRejection(.notFound, UpdateCommunity(community: secret, name: "X"), as: .member(outsider))
        try await org.expectRejection(.notFound, RespondToInvitation(community: secret, accept: true), as: .member(outsider))
        // Invited, the outsider may see it and accept (origin invited).
        try await org.run(InviteMember(community: secret, member: outsider), as: .member(owner))
        try await org.run(RespondToInvitation(community: secret, accept: true), as: .member(outsider))
        #expect(try await org.communityState(secret)?.members[outsider]?.origin == .invited)
    }

    @Test("invitations: moderators invite; the invitee accepts or declines")
    func invitations() async throws {
        let org = try Organisation()
        let owner = try await org.member("Olga")
        let ada = try await org.member("Ada")
        let bob = try await org.member("Bob")
        let community = try await org.community("Leads", visibility: .closed, owner: owner)
        try await org.expectRejection(.notMember, InviteMember(community: community, member: bob), as: .member(ada))
        try await org.run(InviteMember(community: community, member: ada), as: .member(owner))
        try await org.expectRejection(.invalidState, InviteMember(community: community, member: ada), as: .member(owner))
        try await org.expectRejection(.invalidState, RespondToInvitation(community: community, accept: true), as: .member(bob))
        try await org.run(RespondToInvitation(community: community, accept: false), as: .member(ada))
        try await org.expectRejection(.invalidState, RespondToInvitation(community: community, accept: true), as: .member(ada))
        try await org.expectRejection(.alreadyMember, InviteMember(community: community, member: owner), as: .member(owner))
        try await org.expectRejection(.notFound, InviteMember(community: community, member: MemberID(UUID())), as: .member(owner))
    }

    @Test("guests: only external communities, always guests, invisible elsewhere")
    func guests() async throws {
        let org = try Organisation()
        let owner = try await org.member("Olga")
        let guest = try await org.member("Gus", external: "Acme Corp")
        let practice = try await org.community("Swift", owner: owner)
        let project = try await org.community("Acme rollout", kind: .external, visibility: .closed, owner: owner)
        try await org.expectRejection(.notFound, JoinCommunity(community: practice), as: .member(guest))
        try await org.expectRejection(.guestNotAllowed, InviteMember(community: practice, member: guest), as: .member(owner))
        try await org.expectRejection(.notFound, RequestMembership(community: project), as: .member(guest))
        try await org.run(InviteMember(community: project, member: guest), as: .member(owner))
        try await org.run(RespondToInvitation(community: project, accept: true), as: .member(guest))
        #expect(try await org.communityState(project)?.members[guest]?.role == .guest)
        try await org.expectRejection(
            .guestNotAllowed, ChangeMemberRole(community: project, member: guest, role: .moderator), as: .member(owner))
        try await org.expectRejection(
            .forbidden, CreateCommunity(community: CommunityID(UUID()), name: "G", kind: .external, visibility: .open),
            as: .member(guest))
        try await org.expectRejection(.forbidden, OfferMentoring(topics: [], capacity: 1), as: .member(guest))
    }

    @Test("assignment: learning communities only, origin assigned")
    func assignment() async throws {
        let org = try Organisation()
        let trainer = try await org.member("Tina")
        let learner = try await org.member("Lea")
        let guest = try await org.member("Gus", external: "Acme")
        let course = try await org.community("Onboarding", kind: .learning, visibility: .closed, owner: trainer)
        let practice = try await org.community("Swift", owner: trainer)
        try await org.expectRejection(.invalidState, AssignMember(community: practice, member: learner), as: .member(trainer))
        try await org.expectRejection(.guestNotAllowed, AssignMember(community: course, member: guest), as: .member(trainer))
        try await org.run(AssignMember(community: course, member: learner), as: .member(trainer))
        try await org.expectRejection(.alreadyMember, AssignMember(community: course, member: learner), as: .member(trainer))
        #expect(try await org.communityState(course)?.members[learner] == Membership(role: .member, origin: .assigned))
    }

    @Test("roles and owners: only owners change roles; a community always keeps an owner")
    func ownership() async throws {
        let org = try Organisation()
        let owner = try await org.member("Olga")
        let mod = try await org.member("Mo")
        let ada = try await org.member("Ada")
        let community = try await org.community("Swift", owner: owner)
        for member in [mod, ada] { try await org.run(JoinCommunity(community: community), as: .member(member)) }
        try await org.expectRejection(.lastOwner, LeaveCommunity(community: community), as: .member(owner))
        try await org.expectRejection(
            .lastOwner, ChangeMemberRole(community: community, member: owner, role: .member), as: .member(owner))
        try await org.run(ChangeMemberRole(community: community, member: mod, role: .moderator), as: .member(owner))
        try await org.expectRejection(
            .forbidden, ChangeMemberRole(community: community, member: ada, role: .moderator), as: .member(mod))
        try await org.expectRejection(
            .invalidField, field: "role", ChangeMemberRole(community: community, member: ada, role: .guest), as: .member(owner))
        try await org.expectRejection(.forbidden, RemoveMember(community: community, member: owner), as: .member(mod))
        try await org.expectRejection(.invalidState, RemoveMember(community: community, member: owner), as: .member(owner))
        try await org.expectRejection(.forbidden, RemoveMember(community: community, member: mod), as: .member(ada))
        try await org.run(RemoveMember(community: community, member: ada), as: .member(mod))
        try await org.expectRejection(.notFound, RemoveMember(community: community, member: ada), as: .member(mod))
        try await org.run(ChangeMemberRole(community: community, member: mod, role: .owner), as: .member(owner))
        try await org.run(LeaveCommunity(community: community), as: .member(owner))
        #expect(try await org.communityState(community)?.owners == [mod])
        try await org.expectRejection(.notMember, LeaveCommunity(community: community), as: .member(owner))
    }
}
