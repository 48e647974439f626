import Foundation
import PraxisCommands
import PraxisDemo
import PraxisDomain
import PraxisProtocol
import PraxisStore
import Testing

@testable import PraxisSync

/// A pull reads only the positions the sync view lists for the member's scopes. These tests hold
/// that list against the rule itself: every event the member may see after a cursor is among the
/// candidates, and every candidate is in a stream the member may see.
@Suite("Sync: a pull's candidate positions")
struct SyncCandidateTests {
    @Test(
        "on a demo log, each member's candidates hold exactly what they may see, for any cursor", arguments: [11, 12] as [UInt64])
    func candidatesMatchTheRule(seed: UInt64) async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("praxis-candidates-\(UUID().wireString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = try await Self.demoLog(in: folder, seed: seed)
        try await Self.deleteSomeContent(in: store)
        var records: [RecordedEvent] = []
        while true {
            let page = try await store.read(from: LogPosition(Int64(records.count + 1)), limit: 1000)
            records += page
            if page.count < 1000 { break }
        }
        var view = SyncView()
        for record in records { view.apply(record) }
        let stored = try await store.storedEvents(positions: records.map(\.position))
        #expect(stored.count == records.count)
        for (event, record) in zip(stored, records) {
            let generic: JSONValue = [
                "event": record.event.json, "position": .number(Double(record.position.value)),
                "stream_version": .number(Double(record.streamVersion)), "server_time": .string(record.serverTime.rfc3339),
            ]
            #expect(SyncService<SQLiteEventStore>.plainItem(event, event: try event.wireBytes()) == CanonicalJSON.encode(generic))
        }
        let kinds = Set(records.map { view.scope(of: $0.stream) }.map(Self.kind))
        #expect(kinds == ["community", "member", "members", "hidden"], "the log has events of every scope")
        #expect(records.filter { [PostDeleted.type, CommentDeleted.type].contains($0.type.rawValue) }.count == 6)

        var random = SplitMix64(seed: seed)
        var seenMentoring = false
        for member in view.members.keys {
            let readable = view.readableCommunities(of: member)
            for after in [0, Int64(random.next() % UInt64(records.count)), Int64(records.count - 5)] {
                var merge = view.candidatePositions(after: LogPosition(after), for: member, readable: readable)
                let candidates = merge.next(records.count, through: Int64(records.count))
                #expect(candidates == candidates.sorted() && Set(candidates).count == candidates.count)
                #expect(candidates.allSatisfy { $0 > after })
                let visible = records.filter { $0.position.value > after && view.isVisible($0, to: member, readable: readable) }
                let candidateSet = Set(candidates)
                #expect(visible.allSatisfy { candidateSet.contains($0.position.value) }, "\(member) after \(after)")
                for position in candidates {
                    let scope = view.scope(of: records[Int(position) - 1].stream)
                    #expect(Self.admits(scope, member, readable), "\(member) after \(after): \(position)")
                    if case .members = scope { seenMentoring = true }
                }
            }
        }
        #expect(seenMentoring, "some member's candidates include a mentoring link's events")
    }

    @Test("the communities the view lets a member read follow the rule after every event of a demo log")
    func readableCommunitiesFollowTheRule() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("praxis-readable-\(UUID().wireString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = try await Self.demoLog(in: folder, seed: 13)
        try await Self.changeMemberships(in: store)
        let records = try await store.read(from: 1, limit: 10_000)
        let types = Set(records.map(\.type.rawValue))
        #expect(types.isSuperset(of: [CommunityUpdated.type, MemberLeft.type, MemberRemoved.type, MemberJoined.type]))

        var view = SyncView()
        var checks = 0
        for record in records {
            view.apply(record)
            guard
                record.stream.rawValue.hasPrefix(CommunityTag.category + "/")
                    || record.stream.rawValue.hasPrefix(MemberTag.category + "/")
            else { continue }
            for member in view.members.keys {
                #expect(
                    Set(view.ids(of: view.readableCommunities(of: member))) == Self.readableByRule(view, member),
                    "\(member) at \(record.position)")
                checks += 1
            }
        }
        #expect(checks > 1_000)
    }

    /// What `member` may read, by the rule itself: the communities they belong to, and, for an
    /// active internal member, every open one.
    private static func readableByRule(_ view: SyncView, _ member: MemberID) -> Set<CommunityID> {
        guard let reader = view.members[member], reader.isActive else { return [] }
        return Set(
            view.communities.values.filter { $0.members[member] != nil || (!reader.isExternal && $0.visibility == .open) }
                .map(\.id))
    }

    /// Closes an open community and opens it again, and has a member leave a community and another
    /// removed from one: changes of scope the demo's log may lack.
    private static func changeMemberships(in store: SQLiteEventStore) async throws {
        let service = CommandService(store: store)
        let log = try await store.read(from: 1, limit: 10_000)
        let created = log.compactMap { try? EventRegistry.decode($0.envelope) as? CommunityCreated }
        let joined = log.compactMap { try? EventRegistry.decode($0.envelope) as? MemberJoined }
        let open = try #require(created.first { $0.visibility == .open })
        _ = try await service.execute(UpdateCommunity(community: open.community, visibility: .closed), as: .member(open.creator))
        _ = try await service.execute(UpdateCommunity(community: open.community, visibility: .open), as: .member(open.creator))
        let leaving = try #require(joined.first)
        _ = try await service.execute(LeaveCommunity(community: leaving.community), as: .member(leaving.member))
        let removed = try #require(joined.last { $0.member != leaving.member })
        let owner = try #require(created.first { $0.community == removed.community })
        _ = try await service.execute(
            RemoveMember(community: removed.community, member: removed.member), as: .member(owner.creator))
    }

    @Test("merged lists give their union in order, once each, from any point", arguments: 1...10)
    func mergeIsTheSortedUnion(seed: UInt64) {
        var random = SplitMix64(seed: seed)
        var lists = [ChunkedPositions](repeating: ChunkedPositions(), count: 1 + Int(random.next() % 40))
        var plain = [[Int64]](repeating: [], count: lists.count)
        for position in 1...Int64(9000) where random.next() % 3 == 0 {
            let list = Int(random.next() % UInt64(lists.count))
            lists[list].append(position)
            plain[list].append(position)
            if random.next() % 50 == 0 {  // now and then a position in two lists
                let other = (list + 1) % lists.count
                if other != list { lists[other].append(position); plain[other].append(position) }
            }
        }
        let union = Set(plain.joined()).sorted()
        for _ in 0..<20 {
            let after = Int64(random.next() % 9100)
            let through = after + Int64(random.next() % 4000)
            let count = 1 + Int(random.next() % 300)
            var merge = PositionMerge(lists, after: after)
            let expected = union.filter { $0 > after && $0 <= through }
            #expect(merge.next(count, through: through) == Array(expected.prefix(count)))
            #expect(merge.first == union.first { $0 > (expected.prefix(count).last ?? after) })
        }
        var empty = PositionMerge([], after: 0)
        #expect(empty.next(10, through: 100).isEmpty && empty.first == nil)
    }

    /// A small demo organisation's log (60 members, 6 communities, 30 days) in `folder`.
    private static func demoLog(in folder: URL, seed: UInt64) async throws -> SQLiteEventStore {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let settings = DemoSettings(members: 60, communities: 6, days: 30, seed: seed)
        let clock = DemoClock(start: settings.start)
        let store = try SQLiteEventStore(path: folder.appendingPathComponent("log.sqlite").path, clock: { clock.now })
        _ = try await DemoOrganisation(store: store, clock: clock, settings: settings).build()
        return store
    }

    /// Deletes a few posts and a few comments on other posts, each by its author, and issues an
    /// enrollment code (a stream nobody sees through sync): what the demo's log lacks.
    private static func deleteSomeContent(in store: SQLiteEventStore) async throws {
        let service = CommandService(store: store)
        let log = try await store.read(from: 1, limit: 10_000)
        let posts = log.compactMap { try? EventRegistry.decode($0.envelope) as? PostCreated }
        let comments = log.compactMap { try? EventRegistry.decode($0.envelope) as? CommentAdded }
        for post in posts.prefix(3) {
            _ = try await service.execute(DeletePost(post: post.post), as: .member(post.author))
        }
        let deletedPosts = Set(posts.prefix(3).map(\.post))
        for comment in comments.filter({ !deletedPosts.contains($0.post) }).prefix(3) {
            _ = try await service.execute(
                DeleteComment(post: comment.post, comment: comment.comment), as: .member(comment.author))
        }
        _ = try await service.execute(
            InviteDevice(
                codeHash: EventHash(hashing: Array("code".utf8)), member: posts[0].author,
                expiresAt: Timestamp(Date().addingTimeInterval(86_400))),
            as: .operator)
    }

    private static func kind(_ scope: StreamScope) -> String {
        switch scope {
        case .community: "community"
        case .member: "member"
        case .members: "members"
        case .hidden: "hidden"
        }
    }

    private static func admits(_ scope: StreamScope, _ member: MemberID, _ readable: CommunityBits) -> Bool {
        switch scope {
        case .community(let community): readable.contains(community)
        case .member(let owner): owner == member
        case .members(let owners): owners.contains(member)
        case .hidden: false
        }
    }
}
