import Foundation
import PraxisCommands
import PraxisDomain
import PraxisProjections
import PraxisProtocol
import PraxisStore
import Testing

@Suite("Notifications and search")
struct NotificationAndSearchTests {
    static func kinds(_ page: Page) throws -> [String] { try page.itemValues().compactMap { $0["kind"]?.stringValue } }

    @Test("each event notifies the right people, once; read marks; deletions and lost access hide notifications")
    func notifications() async throws {
        let world = try HandBuiltWorld()
        let (olga, ada, bob, otto) = (
            try await world.member("olga"), try await world.member("ada"), try await world.member("bob"),
            try await world.member("otto")
        )
        let swift = try await world.community("Swift", .open, owner: olga)
        let leads = try await world.community("Leads", .closed, owner: olga)
        let board = try await world.community("Board", .secret, owner: olga)
        try await world.service.execute(JoinCommunity(community: swift), as: .member(ada))
        try await world.service.execute(RequestMembership(community: leads, message: "hi"), as: .member(bob))
        let question = try await world.post(swift, by: ada, "Actors or locks?", kind: .question, body: "Which one, @\(bob)?")
        let answer = CommentID(UUID())
        try await world.service.execute(AddComment(post: question, comment: answer, body: "Actors."), as: .member(olga))
        try await world.service.execute(
            AddComment(post: question, comment: CommentID(UUID()), parent: answer, body: "Why?"), as: .member(ada))
        try await world.service.execute(AcceptAnswer(post: question, comment: answer), as: .member(ada))
        try await world.service.execute(OfferMentoring(topics: ["swift"], capacity: 2), as: .member(bob))
        try await world.service.execute(RequestMentoring(mentoring: MentoringID(UUID()), mentor: bob), as: .member(ada))
        _ = try await world.post(board, by: olga, "Secret plans", body: "Do not tell @\(otto)")
        let gone = try await world.post(swift, by: ada, "Oops", body: "Wrong place @\(bob)")
        try await world.service.execute(DeletePost(post: gone), as: .member(ada))

        var queries = try await world.readModels()
        func inbox(_ member: MemberID, unread: Bool = false) async throws -> Page {
            try await queries.notifications(for: member, unreadOnly: unread, cursor: nil, limit: 50)
        }
        #expect(try Self.kinds(try await inbox(olga)) == ["answer_accepted", "reply", "join_request"])
        #expect(try Self.kinds(try await inbox(ada)) == ["answer"])
        #expect(try Self.kinds(try await inbox(bob)) == ["mentoring_request", "mention"], "the deleted post's mention is gone")
        #expect(try await inbox(otto).items.isEmpty, "a mention in a secret community is not shown to an outsider")

        let newest = try #require(try await inbox(olga).itemValues().first?["position"]?.integerValue)
        try await world.service.execute(MarkNotificationsRead(upTo: newest - 1), as: .member(olga))
        queries = try await world.readModels()
        #expect(try Self.kinds(try await inbox(olga, unread: true)) == ["answer_accepted"])
        #expect(try await inbox(olga).itemValues().map { $0["read"] } == [false, true, true])
        let first = try await queries.notifications(for: olga, unreadOnly: false, cursor: nil, limit: 2)
        let rest = try await queries.notifications(for: olga, unreadOnly: false, cursor: first.nextCursor, limit: 2)
        #expect(try Self.kinds(first) + Self.kinds(rest) == ["answer_accepted", "reply", "join_request"])
    }

    @Test("search finds what the reader may read, ranks it, and takes any input without failing")
    func search() async throws {
        let world = try HandBuiltWorld()
        let (olga, ada, otto, gus) = (
            try await world.member("olga"), try await world.member("ada"), try await world.member("otto"),
            try await world.member("gus", external: true)
        )
        let swift = try await world.community("Swift", .open, owner: olga)
        let board = try await world.community("Board", .secret, owner: olga)
        let leads = try await world.community("Leads", .closed, owner: olga)
        try await world.service.execute(JoinCommunity(community: swift), as: .member(ada))
        let actors = try await world.post(swift, by: ada, "Actors in Swift", body: "Actors isolate state; actors actors.")
        _ = try await world.post(swift, by: olga, "Locks", body: "Sometimes a lock is simpler than actors.")
        _ = try await world.post(board, by: olga, "Reorganisation", body: "Confidential actors plan.")
        _ = try await world.post(leads, by: olga, "Leads only", body: "Closed actors talk.")
        try await world.service.execute(
            AddComment(post: actors, comment: CommentID(UUID()), body: "Great summary of isolation"), as: .member(olga))
        let deleted = try await world.post(swift, by: ada, "Actors draft", body: "actors")
        try await world.service.execute(
            AddComment(post: deleted, comment: CommentID(UUID()), body: "An orphaned remark"), as: .member(olga))
        try await world.service.execute(DeletePost(post: deleted), as: .member(ada))
        try await world.service.execute(EditPost(post: actors, body: "Actors isolate mutable state."), as: .member(ada))
        let (edited, removed) = (CommentID(UUID()), CommentID(UUID()))
        try await world.service.execute(AddComment(post: actors, comment: edited, body: "Notes on tasks"), as: .member(olga))
        try await world.service.execute(
            EditComment(post: actors, comment: edited, body: "Notes on executors"), as: .member(olga))
        try await world.service.execute(AddComment(post: actors, comment: removed, body: "A passing musing"), as: .member(olga))
        try await world.service.execute(DeleteComment(post: actors, comment: removed), as: .member(olga))

        let queries = try await world.readModels()
        func titles(_ text: String, _ reader: MemberID) async throws -> [String] {
            try await queries.search(text, for: reader, cursor: nil, limit: 20).itemValues().compactMap {
                $0["title"]?.stringValue
            }
        }
        #expect(try await titles("actors", otto) == ["Actors in Swift", "Locks"], "open content only, best match first")
        #expect(Set(try await titles("actors", olga)) == ["Actors in Swift", "Locks", "Reorganisation", "Leads only"])
        #expect(try await titles("isolation", ada) == ["Actors in Swift"], "comments are found, under their post's title")
        #expect(try await titles("actors", gus).isEmpty)
        #expect(try await titles("orphaned", olga).isEmpty, "a deleted post's comments leave the index with it")
        #expect(try await titles("executors", otto) == ["Actors in Swift"], "an edited comment is found by its new words")
        #expect(try await titles("tasks", otto).isEmpty, "and no longer by its old ones")
        #expect(try await titles("musing", olga).isEmpty, "a deleted comment leaves the index")
        #expect(try await titles("actors isolate mutable", otto) == ["Actors in Swift"], "every word must occur")
        // FTS5 operators are plain words here: this asks for "or", "near" and "2" as well, and fails nothing.
        #expect(try await titles("\"actors\" OR (locks* NEAR/2", otto).isEmpty)
        let snippet = try await queries.search("mutable", for: ada, cursor: nil, limit: 5).itemValues().first?["snippet"]?
            .stringValue
        #expect(snippet?.contains("[mutable]") == true)
        await #expect(throws: QueryFailure.self) { try await queries.search("*** (( ))", for: ada, cursor: nil, limit: 5) }
    }
}
