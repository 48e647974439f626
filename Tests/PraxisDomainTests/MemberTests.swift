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

    @Test("no two members share an e-mail address, however it is written")
    func uniqueEmail() async throws {
        let org = try Organisation()
        let ada = try await org.member("Ada")
        var twin = RegisterMember(
            member: MemberID(UUID()), displayName: "Ada Two", email: "  ADA@Example.com ", region: "EMEA",
            department: "Sales")
        try await org.expectRejection(.emailTaken, field: "email", twin, as: .operator)
        twin.email = "ada.two@example.com"
        let written = try await org.run(twin, as: .operator)
        #expect(written.map(\.type.rawValue) == ["member_registered", "email_claimed"])
        #expect(written.last?.stream == EmailAddress.stream(of: "ada.two@example.com"))
        #expect(written.last?.envelope.payload["member"]?.stringValue == twin.member.description)
        try await org.expectRejection(
            .emailTaken, field: "email", UpdateMemberProfile(member: twin.member, email: "Ada@example.com"), as: .operator)
    }

    @Test("a change of address takes the new one and frees the old one")
    func changeOfAddress() async throws {
        let org = try Organisation()
        let ada = try await org.member("Ada")
        let moved = try await org.run(UpdateMemberProfile(member: ada, email: "ada@new.example"), as: .operator)
        #expect(moved.map(\.type.rawValue) == ["member_profile_updated", "email_claimed", "email_released"])
        #expect(
            moved.map(\.stream) == [
                ada.stream, EmailAddress.stream(of: "ada@new.example"), EmailAddress.stream(of: "ada@example.com"),
            ])
        let input = try await org.service.input(for: [
            EmailAddress.stream(of: "ada@example.com"), EmailAddress.stream(of: "ada@new.example"),
        ])
        #expect(input.holder(of: "ada@example.com") == nil)
        #expect(input.holder(of: "ada@new.example") == ada)
        // The same address again changes no claim; a new member may take the freed one.
        let again = try await org.run(UpdateMemberProfile(member: ada, email: "ADA@new.example"), as: .operator)
        #expect(again.map(\.type.rawValue) == ["member_profile_updated"])
        let bob = MemberID(UUID())
        try await org.run(
            RegisterMember(member: bob, displayName: "Bob", email: "ada@example.com", region: "EMEA", department: "Sales"),
            as: .operator)
        try await org.expectRejection(
            .emailTaken, field: "email", UpdateMemberProfile(member: ada, email: "ada@example.com"), as: .operator)
        // A change that needs no address touches no address stream.
        let renamed = try await org.run(UpdateMemberProfile(member: bob, displayName: "Robert"), as: .member(bob))
        #expect(renamed.map(\.stream) == [bob.stream])
    }

    @Test("a member registered before addresses were claimed takes theirs when an operator sets it again")
    func unclaimedAddress() async throws {
        let org = try Organisation()
        let old = MemberID(UUID())
        try await org.run(RegisterWithoutClaim(member: old, email: "old@example.com"), as: .operator)
        try await org.expectRejection(.forbidden, ClaimMemberEmail(member: old), as: .member(old))
        try await org.run(UpdateMemberProfile(member: old, email: "old@example.com"), as: .operator)
        try await org.expectRejection(.invalidState, ClaimMemberEmail(member: old), as: .operator)
        try await org.expectRejection(.notFound, ClaimMemberEmail(member: MemberID(UUID())), as: .operator)
        let older = MemberID(UUID())
        try await org.run(RegisterWithoutClaim(member: older, email: "older@example.com"), as: .operator)
        let claimed = try await org.run(ClaimMemberEmail(member: older), as: .operator)
        #expect(claimed.map(\.stream) == [EmailAddress.stream(of: "older@example.com")])
        try await org.expectRejection(
            .emailTaken, field: "email",
            RegisterMember(
                member: MemberID(UUID()), displayName: "New", email: "old@example.com", region: "EMEA", department: "Sales"),
            as: .operator)
    }

    @Test("of concurrent registrations with one address through separate services, exactly one succeeds")
    func concurrentClaims() async throws {
        let org = try Organisation()
        let services = (0..<4).map { _ in CommandService(store: org.store) }
        let members = services.map { _ in MemberID(UUID()) }
        let accepted = await withTaskGroup(of: Bool.self) { group in
            for (service, member) in zip(services, members) {
                group.addTask {
                    let command = RegisterMember(
                        member: member, displayName: "Twin", email: "twin@example.com", region: "EMEA", department: "Sales")
                    return (try? await service.execute(command, as: .operator)) != nil
                }
            }
            return await group.reduce(into: 0) { $0 += $1 ? 1 : 0 }
        }
        #expect(accepted == 1)
        let holder = try #require(
            try await CommandService(store: org.store).input(for: [EmailAddress.stream(of: "twin@example.com")]).holder(
                of: "twin@example.com"))
        #expect(members.contains(holder))
        let registered = try await org.store.read(from: 1, limit: 100).filter { $0.type.rawValue == "member_registered" }
        #expect(registered.map(\.stream) == [holder.stream])
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

/// Registers a member as servers did before e-mail addresses were claimed: the registration alone.
private struct RegisterWithoutClaim: Command {
    let member: MemberID
    let email: String

    func streams(_ input: DecisionInput, actor: Actor) -> [StreamName] { [member.stream] }

    func decide(_ input: DecisionInput, actor: Actor) throws(Rejection) -> [PendingEvent] {
        let payload: [String: JSONValue] = [
            "member": .string(member.description), "display_name": "Old", "email": .string(email), "region": "EMEA",
            "department": "Sales", "title": "", "leadership": "contributor", "external": false,
        ]
        guard let event = try? EventCoding.decode(MemberRegistered.self, from: payload) else {
            throw Rejection(.invalidField, "not a member_registered payload")
        }
        return [PendingEvent(member.stream, event)]
    }
}
