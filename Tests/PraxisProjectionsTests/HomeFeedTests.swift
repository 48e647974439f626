import Foundation
import GRDB
import PraxisCommands
import PraxisDomain
import PraxisProjections
import PraxisProtocol
import PraxisStore
import Testing

@Suite("Home feed")
struct HomeFeedTests {
    /// The members every home feed item has.
    static let itemMembers = ["author", "community", "created_at", "excerpt", "kind", "position", "post", "title"]

    static func titles(_ page: Page, _ key: String = "items") throws -> [String] {
        let items = key == "items" ? try page.itemValues() : try page.extraValue(key)?.arrayValue ?? []
        return items.compactMap { $0["title"]?.stringValue }
    }

    @Test("feeds hold posts since joining or following, with visibility checked at read time")
    func homeFeed() async throws {
        let world = try HandBuiltWorld()
        let (olga, ada, bob, gus) = (
            try await world.member("olga"), try await world.member("ada"), try await world.member("bob"),
            try await world.member("gus", external: true)
        )
        let swift = CommunityID(UUID())
        let board = CommunityID(UUID())
        try await world.service.execute(
            CreateCommunity(community: swift, name: "Swift", kind: .practice, visibility: .open), as: .member(olga))
        try await world.service.execute(
            CreateCommunity(community: board, name: "Board", kind: .practice, visibility: .secret), as: .member(olga))
        try await world.service.execute(JoinCommunity(community: swift), as: .member(ada))
        try await world.service.execute(FollowMember(member: olga), as: .member(bob))
        try await world.service.execute(FollowMember(member: olga), as: .member(gus))
        _ = try await world.post(swift, by: olga, "Welcome")
        _ = try await world.post(board, by: olga, "Board minutes")
        let hello = try await world.post(swift, by: ada, "Hello from Ada")
        let news = try await world.post(swift, by: olga, "News", kind: .announcement)
        try await world.service.execute(SetPostPinned(post: news, pinned: true), as: .member(olga))
        try await world.service.execute(InviteMember(community: board, member: ada), as: .member(olga))
        try await world.service.execute(RespondToInvitation(community: board, accept: true), as: .member(ada))
        _ = try await world.post(board, by: olga, "Board agenda")

        let readModels = try ReadModelStore(path: world.folder.appendingPathComponent("projections.sqlite").path)
        let home = HomeFeed()
        let engine = ProjectionEngine(store: world.store, readModels: readModels, projections: [CommunityRoster(), home])
        try await engine.prepare()
        try await engine.catchUp()
        let queries = ReadModelQueries(readModels: readModels)
        let now = Timestamp(Date())
        func feed(_ member: MemberID) async throws -> Page {
            try await queries.homeFeed(for: member, now: now, cursor: nil, limit: 50)
        }

        let adas = try await feed(ada)
        #expect(
            try Self.titles(adas) == ["Board agenda", "News", "Hello from Ada", "Welcome"],
            "posts before Ada joined the board are not pushed into her feed")
        #expect(try Self.titles(adas, "pinned") == ["News"])
        #expect(
            try Self.titles(try await feed(bob)) == ["News", "Welcome"], "a follower sees the open posts, never the secret ones")
        #expect(try Self.titles(try await feed(gus)).isEmpty, "a guest sees nothing of internal communities")

        // Leaving the secret community hides its posts at once; dismissing removes the pin only.
        try await world.service.execute(LeaveCommunity(community: board), as: .member(ada))
        try await world.service.execute(DismissPin(post: news), as: .member(ada))
        try await engine.catchUp()
        let after = try await feed(ada)
        #expect(try Self.titles(after) == ["News", "Hello from Ada", "Welcome"])
        #expect(try Self.titles(after, "pinned").isEmpty)
        // Pages continue where they stopped.
        let first = try await queries.homeFeed(for: ada, now: now, cursor: nil, limit: 2)
        let next = try await queries.homeFeed(for: ada, now: now, cursor: first.nextCursor, limit: 2)
        #expect(try Self.titles(first) + Self.titles(next) == ["News", "Hello from Ada", "Welcome"])
        #expect(next.nextCursor == nil)

        // A deleted post leaves every feed, and no inbox row is left pointing at it.
        try await world.service.execute(DeletePost(post: hello), as: .member(ada))
        try await engine.catchUp()
        #expect(try Self.titles(try await feed(ada)) == ["News", "Welcome"])
        let orphans = try await readModels.read { db in
            try Int.fetchOne(
                db,
                sql: "SELECT COUNT(*) FROM home_feed_g1_inbox WHERE position NOT IN (SELECT position FROM home_feed_g1_posts)")
        }
        #expect(orphans == 0)
    }

    /// Pages merge the inbox and every community read newest first; this holds them against one
    /// scan of all posts with the rule spelled out, for every member of demo organisations, walking
    /// every page at several page sizes.
    @Test("pages are the newest posts the reader may read, as one scan of all posts finds them", arguments: [11, 12] as [UInt64])
    func pagesMatchAScan(seed: UInt64) async throws {
        let fixture = try await ProjectionFixture(days: 21, members: 70, communities: 16, seed: seed)
        let service = CommandService(store: fixture.store)
        let directory = Directory(store: fixture.store, service: service)
        // The demo's members seldom follow anyone: add follows of members and communities, then posts.
        let people = try await directory.members().filter { $0.isActive && !$0.isExternal }
        for (index, person) in people.enumerated() {
            for step in [1, 7, 19] where people[(index + step) % people.count].id != person.id {
                _ = try? await service.execute(
                    FollowMember(member: people[(index + step) % people.count].id), as: .member(person.id))
            }
        }
        let before = try await directory.communities()
        for (index, person) in people.enumerated() {
            _ = try? await service.execute(FollowCommunity(community: before[index % before.count].id), as: .member(person.id))
        }
        for community in try await directory.communities() {
            for author in community.members.keys.sorted(by: { $0.description < $1.description }).prefix(4) {
                _ = try? await service.execute(
                    CreatePost(post: PostID(UUID()), community: community.id, kind: .discussion, title: "Later", body: "Later"),
                    as: .member(author))
            }
        }
        let communities = try await directory.communities()
        let (readModels, engine) = try fixture.engine()
        try await engine.prepare()
        try await engine.catchUp()
        let queries = ReadModelQueries(readModels: readModels)
        let now = Timestamp(Date())
        var random = SplitMix64(seed: seed)
        var walked = (pages: 0, items: 0, fromInbox: 0)
        for member in try await directory.members() where member.isActive {
            let readable = communities.filter {
                $0.members[member.id] != nil || ($0.visibility == .open && !member.isExternal)
            }.map(\.id.description)
            let scan = try await readModels.read { db in
                try Int64.fetchAll(
                    db,
                    sql: """
                        SELECT x.position FROM home_feed_g1_posts x
                        WHERE x.community IN (SELECT value FROM json_each(:readable)) AND (
                            x.position IN (SELECT position FROM home_feed_g1_inbox
                                WHERE reader = (SELECT number FROM home_feed_g1_readers WHERE member = :me))
                            OR EXISTS (SELECT 1 FROM home_feed_g1_memberships m
                                WHERE m.member = :me AND m.community = x.community AND m.since < x.position)
                            OR EXISTS (SELECT 1 FROM home_feed_g1_follows f WHERE f.follower = :me
                                AND f.target = x.community AND f.kind = 'community' AND f.since < x.position))
                        ORDER BY x.position DESC
                        """,
                    arguments: [
                        "me": member.id.description,
                        "readable": String(decoding: try JSONEncoder().encode(readable), as: UTF8.self),
                    ])
            }
            let inbox = try await readModels.read { db in
                try Int.fetchOne(
                    db,
                    sql: """
                        SELECT COUNT(*) FROM home_feed_g1_inbox
                        WHERE reader = (SELECT number FROM home_feed_g1_readers WHERE member = ?)
                        """, arguments: [member.id.description]) ?? 0
            }
            for limit in [1 + Int(random.next() % 6), 20, 100] {
                var positions: [Int64] = []
                var cursor: String?
                repeat {
                    let page = try await queries.homeFeed(for: member.id, now: now, cursor: cursor, limit: limit)
                    #expect(page.items.count <= limit)
                    #expect(page.items.allSatisfy(CanonicalJSON.isCanonical), "items are written in canonical form")
                    let items = try page.itemValues()
                    #expect(items.allSatisfy { item in Self.itemMembers.allSatisfy { item[$0] != nil } })
                    positions += items.compactMap { $0["position"]?.numberValue.map(Int64.init) }
                    cursor = page.nextCursor
                    walked.pages += 1
                } while cursor != nil
                #expect(positions == scan, "\(member.displayName), pages of \(limit)")
            }
            walked.items += scan.count
            walked.fromInbox += inbox
        }
        #expect(walked.items > 1000 && walked.fromInbox > 100 && walked.pages > 500, "\(walked)")
    }
}
