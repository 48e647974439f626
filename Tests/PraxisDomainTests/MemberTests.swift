import Foundation
import PraxisCommands
import PraxisDomain
import PraxisProtocol
import PraxisStore
import Testing

@Suite("Members")
struct MemberTests {
    @Test("operators register members; members cannot; ids are unique; fields are checked")
    func register() async throws {
        let org = try Organisation()
        let ada = try await org.member("Ada")
        let command = RegisterMember(
            member: MemberID(UUID()), displayName: "Bob", email: "bob@example.com", region: "EMEA", department: "Sales")
        try await org.expectRejection(.forbidden, command, as: .member(ada))
        var duplicate = command
        duplicate.member = ada
        try await org.expectRejection(.alreadyExists, duplicate, as: .operator)
        var badEmail = command
        badEmail.email = "bob-at-example"
        try await org.expectRejection(.invalidField, field: "email", badEmail, as: .operator)
        var emptyName = command
        emptyName.displayName = "   "
        try await org.expectRejection(.invalidField, field: "display_name", emptyName, as: .operator)
        var controlCharacter = command
        controlCharacter.region = "EM\u{7}EA"
        try await org.expectRejection(.invalidField, field: "region", controlCharacter, as: .operator)
        var guestWithoutOrganisation = command
        guestWithoutOrganisation.external = true
        try await org.expectRejection(.invalidField, field: "organization", guestWithoutOrganisation, as: .operator)
        try await org.run(command, as: .operator)
    }

    @Test("members edit their own name and title only; operators edit everything")
    func profile() async throws {
        let org = try Organisation()
        let ada = try await org.member("Ada")
        let bob = try await org.member("Bob")
        try await org.run(UpdateMemberProfile(member: ada, displayName: "Ada L.", title: "Engineer"), as: .member(ada))
        try await org.expectRejection(.forbidden, UpdateMemberProfile(member: bob, displayName: "B"), as: .member(ada))
        try await org.expectRejection(.forbidden, UpdateMemberProfile(member: ada, email: "a@b.org"), as: .member(ada))
        try await org.expectRejection(.forbidden, UpdateMemberProfile(member: ada, leadership: .executive), as: .member(ada))
        try await org.run(UpdateMemberProfile(member: ada, leadership: .senior), as: .operator)
        let state = try await org.service.input(for: [ada.stream]).member(ada)
        #expect(state?.displayName == "Ada L.")
        #expect(state?.leadership == .senior)
    }

    @Test("moves change region and department; a move to the same place is refused")
    func move() async throws {
        let org = try Organisation()
        let ada = try await org.member("Ada", region: "EMEA", department: "Engineering")
        try await org.run(MoveMember(member: ada, region: "APAC", department: "Engineering"), as: .operator)
        try await org.expectRejection(
            .invalidState, MoveMember(member: ada, region: "APAC", department: "Engineering"), as: .operator)
        try await org.expectRejection(.forbidden, MoveMember(member: ada, region: "AMER", department: "Sales"), as: .member(ada))
        try await org.expectRejection(
            .notFound, MoveMember(member: MemberID(UUID()), region: "A", department: "B"), as: .operator)
    }

    @Test("a deactivated member can do nothing until reactivated")
    func deactivation() async throws {
        let org = try Organisation()
        let ada = try await org.member("Ada")
        let bob = try await org.member("Bob")
        let community = try await org.community("Swift", owner: bob)
        try await org.run(SetMemberActive(member: ada, active: false), as: .operator)
        try await org.expectRejection(.invalidState, SetMemberActive(member: ada, active: false), as: .operator)
        try await org.expectRejection(.memberDeactivated, JoinCommunity(community: community), as: .member(ada))
        try await org.expectRejection(
            .memberDeactivated, CreateCommunity(community: CommunityID(UUID()), name: "X", kind: .practice, visibility: .open),
            as: .member(ada))
        try await org.expectRejection(.memberDeactivated, FollowMember(member: bob), as: .member(ada))
        try await org.expectRejection(.memberDeactivated, InviteMember(community: community, member: ada), as: .member(bob))
        try await org.run(SetMemberActive(member: ada, active: true), as: .operator)
        try await org.run(JoinCommunity(community: community), as: .member(ada))
    }

    @Test("follows: others only, once, and only communities one may see")
    func follows() async throws {
        let org = try Organisation()
        let ada = try await org.member("Ada")
        let bob = try await org.member("Bob")
        try await org.run(FollowMember(member: bob), as: .member(ada))
        try await org.expectRejection(.invalidState, FollowMember(member: bob), as: .member(ada))
        try await org.expectRejection(.invalidField, field: "member", FollowMember(member: ada), as: .member(ada))
        try await org.expectRejection(.notFound, FollowMember(member: MemberID(UUID())), as: .member(ada))
        try await org.run(FollowMember(member: bob, follow: false), as: .member(ada))
        try await org.expectRejection(.invalidState, FollowMember(member: bob, follow: false), as: .member(ada))
        let secret = try await org.community("Board", visibility: .secret, owner: bob)
        try await org.expectRejection(.notFound, FollowCommunity(community: secret), as: .member(ada))
        try await org.run(FollowCommunity(community: secret), as: .member(bob))
    }

    @Test("access tokens: operators issue, members or operators revoke; only hashes are recorded")
    func tokens() async throws {
        let org = try Organisation()
        let ada = try await org.member("Ada")
        let token = AccessTokenID(UUID())
        let hash = EventHash(hashing: "secret".utf8)
        let events = try await org.run(IssueAccessToken(member: ada, token: token, tokenHash: hash), as: .operator)
        #expect(events.first?.envelope.payload["token_hash"]?.stringValue == hash.base64URL)
        #expect(!String(decoding: events[0].event.canonicalBytes, as: UTF8.self).contains("secret"))
        try await org.expectRejection(
            .forbidden, IssueAccessToken(member: ada, token: AccessTokenID(UUID()), tokenHash: hash), as: .member(ada))
        let bob = try await org.member("Bob")
        try await org.expectRejection(.forbidden, RevokeAccessToken(member: ada, token: token), as: .member(bob))
        try await org.run(RevokeAccessToken(member: ada, token: token), as: .member(ada))
        try await org.expectRejection(.notFound, RevokeAccessToken(member: ada, token: token), as: .operator)
    }
}
