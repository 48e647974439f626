import Foundation
import PraxisCommands
import PraxisDomain
import PraxisProtocol
import PraxisStore
import Testing

/// Seeded random command sequences: whatever the order, the invariants hold.
@Suite("Invariants under random command sequences")
struct InvariantTests {
    /// The people and places the random commands draw from.
    struct World {
        var members: [MemberID] = []
        var communities: [CommunityID] = []
        var posts: [PostID] = []
        var postCommunities: [PostID: CommunityID] = [:]
        var comments: [PostID: [CommentID]] = [:]
        var mentorings: [MentoringID] = []
        var deletedPosts: Set<PostID> = []
    }

    @Test("owners, capacity, guests, secrecy and deletions hold", arguments: [1, 2, 3, 4, 5] as [UInt64])
    func invariants(seed: UInt64) async throws {
        let org = try Organisation()
        var random = SplitMix64(seed: seed)
        var world = World()
        for index in 0..<10 {
            let external = index >= 8 ? "Partner \(index)" : nil
            world.members.append(try await org.member("M\(index)", department: ["A", "B", "C"][index % 3], external: external))
        }
        let shapes: [(CommunityKind, CommunityVisibility)] = [
            (.practice, .open), (.practice, .secret), (.learning, .closed), (.external, .closed), (.practice, .open),
            (.learning, .open),
        ]
        for (index, shape) in shapes.enumerated() {
            world.communities.append(
                try await org.community("C\(index)", kind: shape.0, visibility: shape.1, owner: world.members[index]))
        }
        var accepted = 0
        var secrecyChecks = 0
        for step in 0..<400 {
            let before = try await Self.communityStates(org, world)
            let (actor, command) = Self.randomCommand(in: world, states: before, random: &random)
            let outcome: Result<[RecordedEvent], CommandFailure>
            do { outcome = .success(try await org.service.execute(command, as: .member(actor))) } catch {
                outcome = .failure(error)
            }
            if case .success = outcome { accepted += 1 }
            if case .failure(let failure) = outcome, case .rejected = failure {
            } else if case .failure(let failure) = outcome {
                Issue.record("step \(step): \(type(of: command)) failed outside the domain: \(failure)")
            }
            // Secrecy: a command naming a secret community the actor is not involved in gets not_found.
            if let named = Self.namedCommunity(command), let community = before[named], community.visibility == .secret,
                community.members[actor] == nil, community.invitations[actor] == nil
            {
                secrecyChecks += 1
                guard case .failure(.rejected(let rejection)) = outcome, rejection.code == .notFound else {
                    Issue.record("step \(step): \(type(of: command)) on a secret community answered \(outcome)")
                    continue
                }
            }
            if case .success = outcome { world.record(command) }
            try await Self.checkInvariants(org, world, step: step)
        }
        #expect(accepted >= 80, "only \(accepted) of 400 random commands were accepted")
        // How many commands probe the secret community varies with the ids drawn; a few must.
        #expect(secrecyChecks >= 3, "only \(secrecyChecks) commands probed the secret community")
        // A replay from the log alone (a new service, nothing cached) reaches the same states.
        let replay = CommandService(store: org.store)
        for id in world.communities {
            #expect(try await replay.input(for: [id.stream]).community(id) == org.communityState(id))
        }
        for id in world.posts {
            let replayed = try await replay.input(for: [id.stream]).post(id)
            #expect(replayed == (try await org.postState(id)))
            #expect((replayed?.isDeleted ?? false) == world.deletedPosts.contains(id))
        }
    }

    static func communityStates(_ org: Organisation, _ world: World) async throws -> [CommunityID: CommunityState] {
        var states: [CommunityID: CommunityState] = [:]
        for id in world.communities { states[id] = try await org.communityState(id) }
        return states
    }

    static func checkInvariants(_ org: Organisation, _ world: World, step: Int) async throws {
        let input = try await org.service.input(
            for: world.members.flatMap { [$0.stream, $0.mentorStream] } + world.communities.map(\.stream)
                + world.posts.map(\.stream))
        for id in world.communities {
            let community = try #require(input.community(id))
            #expect(!community.owners.isEmpty, "step \(step): \(community.name) has no owner")
            for member in community.members.keys where input.member(member)?.isExternal == true {
                #expect(community.kind == .external, "step \(step): a guest is in \(community.name)")
                #expect(community.members[member]?.role == .guest, "step \(step): a guest is not a guest")
            }
        }
        for id in world.members {
            if let mentor = input.mentor(id) {
                #expect(mentor.mentees.count <= mentor.capacity, "step \(step): capacity exceeded")
                #expect(!mentor.mentees.values.contains(id), "step \(step): someone mentors themself")
            }
        }
        for id in world.deletedPosts {
            #expect(input.post(id)?.isDeleted == true, "step \(step): a deleted post came back")
        }
    }

    static func namedCommunity(_ command: any Command) -> CommunityID? {
        switch command {
        case let command as JoinCommunity: command.community
        case let command as RequestMembership: command.community
        case let command as InviteMember: command.community
        case let command as CreatePost: command.community
        case let command as LeaveCommunity: command.community
        case let command as FollowCommunity: command.community
        case let command as AssignMember: command.community
        default: nil
        }
    }

    /// A random command and its actor: often plausible (owners moderating their own community,
    /// members acting on posts that exist), often not (anyone naming anything).
    static func randomCommand(in world: World, states: [CommunityID: CommunityState], random: inout SplitMix64)
        -> (MemberID, any Command)
    {
        let post = world.posts.randomElement(using: &random) ?? PostID(UUID())
        let community =
            Int.random(in: 0..<3, using: &random) > 0
            ? world.postCommunities[post] ?? world.communities[0]
            : world.communities.randomElement(using: &random)!
        let insiders = (states[community]?.members.keys.sorted() ?? [])
        let owners = (states[community]?.owners.sorted() ?? [])
        let member = world.members.randomElement(using: &random)!
        let outsider = world.members.randomElement(using: &random)!
        let anyone = Int.random(in: 0..<4, using: &random) > 0 ? insiders.randomElement(using: &random) ?? outsider : outsider
        let moderator = Bool.random(using: &random) ? owners.randomElement(using: &random) ?? anyone : anyone
        let comment = world.comments[post]?.randomElement(using: &random) ?? CommentID(UUID())
        let mentoring = world.mentorings.randomElement(using: &random) ?? MentoringID(UUID())
        switch Int.random(in: 0..<26, using: &random) {
        case 0...3: return (outsider, JoinCommunity(community: community))
        case 4: return (outsider, RequestMembership(community: community))
        case 5:
            return (
                moderator, DecideMembershipRequest(community: community, member: member, approve: Bool.random(using: &random))
            )
        case 6: return (moderator, InviteMember(community: community, member: member))
        case 7: return (outsider, RespondToInvitation(community: community, accept: Bool.random(using: &random)))
        case 8: return (moderator, AssignMember(community: community, member: member))
        case 9: return (anyone, LeaveCommunity(community: community))
        case 10: return (moderator, RemoveMember(community: community, member: member))
        case 11:
            let role = CommunityRole.allCases.randomElement(using: &random)!
            return (moderator, ChangeMemberRole(community: community, member: member, role: role))
        case 12...14:
            let kind = PostKind.allCases.filter { $0 != .resource }.randomElement(using: &random)!
            return (anyone, CreatePost(post: PostID(UUID()), community: community, kind: kind, title: "T", body: "B"))
        case 15, 16: return (anyone, AddComment(post: post, comment: CommentID(UUID()), body: "C"))
        case 17: return (anyone, DeletePost(post: post))
        case 18: return (anyone, AcceptAnswer(post: post, comment: comment))
        case 19: return (anyone, React(post: post, reaction: ReactionKind.allCases.randomElement(using: &random)!))
        case 20: return (anyone, OfferMentoring(topics: ["t"], capacity: Int.random(in: 1...2, using: &random)))
        case 21:
            let id = MentoringID(UUID())
            let command =
                Bool.random(using: &random)
                ? RequestMentoring(mentoring: id, mentor: member) : RequestMentoring(mentoring: id, community: community)
            return (anyone, command)
        case 22, 23: return (anyone, RespondToMentoringRequest(mentoring: mentoring, accept: Bool.random(using: &random)))
        case 24:
            return (anyone, EndMentoring(mentoring: mentoring, outcome: MentoringOutcome.allCases.randomElement(using: &random)!))
        default: return (moderator, SetCommunityArchived(community: community, archived: Bool.random(using: &random)))
        }
    }
}

extension InvariantTests.World {
    /// Remembers what an accepted command created or deleted.
    mutating func record(_ command: any Command) {
        switch command {
        case let command as CreatePost:
            posts.append(command.post)
            postCommunities[command.post] = command.community
        case let command as AddComment: comments[command.post, default: []].append(command.comment)
        case let command as RequestMentoring: mentorings.append(command.mentoring)
        case let command as DeletePost: deletedPosts.insert(command.post)
        default: break
        }
    }
}
