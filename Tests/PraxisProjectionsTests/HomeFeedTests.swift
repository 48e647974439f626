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
    static func titles(_ page: Page, _ key: String = "items") -> [String] {
        ((key == "items" ? .array(page.items) : page.extra[key]) ?? [])?.arrayValue?.compactMap { $0["title"]?.stringValue } ?? []
    }

    @Test(
        "fan-out on write and merge at read time give the same feeds, with visibility checked at read time", arguments: [500, 1])
    func homeFeed(fanOutLimit: Int) async throws {
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
        let home = HomeFeed(fanOutLimit: fanOutLimit)
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
            Self.titles(adas) == ["Board agenda", "News", "Hello from Ada", "Welcome"],
            "posts before Ada joined the board are not pushed into her feed")
        #expect(Self.titles(adas, "pinned") == ["News"])
        #expect(Self.titles(try await feed(bob)) == ["News", "Welcome"], "a follower sees the open posts, never the secret ones")
        #expect(Self.titles(try await feed(gus)).isEmpty, "a guest sees nothing of internal communities")

        // Leaving the secret community hides its posts at once; dismissing removes the pin only.
        try await world.service.execute(LeaveCommunity(community: board), as: .member(ada))
        try await world.service.execute(DismissPin(post: news), as: .member(ada))
        try await engine.catchUp()
        let after = try await feed(ada)
        #expect(Self.titles(after) == ["News", "Hello from Ada", "Welcome"])
        #expect(Self.titles(after, "pinned").isEmpty)
        // Pages continue where they stopped.
        let first = try await queries.homeFeed(for: ada, now: now, cursor: nil, limit: 2)
        let next = try await queries.homeFeed(for: ada, now: now, cursor: first.nextCursor, limit: 2)
        #expect(Self.titles(first) + Self.titles(next) == ["News", "Hello from Ada", "Welcome"])
        #expect(next.nextCursor == nil)

        // A deleted post leaves every feed, and no inbox row is left pointing at it.
        try await world.service.execute(DeletePost(post: hello), as: .member(ada))
        try await engine.catchUp()
        #expect(Self.titles(try await feed(ada)) == ["News", "Welcome"])
        let orphans = try await readModels.read { db in
            try Int.fetchOne(
                db,
                sql: "SELECT COUNT(*) FROM home_feed_g1_inbox WHERE position NOT IN (SELECT position FROM home_feed_g1_posts)")
        }
        #expect(orphans == 0)
    }
}
