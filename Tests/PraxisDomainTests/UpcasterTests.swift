import Foundation
import PraxisCommands
import PraxisDomain
import PraxisProtocol
import PraxisStore
import Testing

@Suite("Event versions")
struct UpcasterTests {
    @Test("a post_created of schema version 1 (no kind) is read as a discussion and works as one")
    func postCreatedVersion1() async throws {
        let org = try Organisation()
        let owner = try await org.member("Olga")
        let community = try await org.community("Swift", owner: owner)
        let post = PostID(UUID())
        let legacy = EventEnvelope(
            id: UUID(), stream: post.stream, type: EventTypeName("post_created")!, schemaVersion: 1,
            payload: [
                "post": .string(post.description), "community": .string(community.description),
                "author": .string(owner.description), "title": "Old", "body": "From an old client", "mentions": [],
                "tags": [],
            ])
        _ = try await org.store.append([AuthoredEvent(legacy)])
        let decoded = try #require(try EventRegistry.decode(legacy) as? PostCreated)
        #expect(decoded.kind == .discussion)
        #expect(decoded.cites == [])
        #expect(try await org.postState(post)?.kind == .discussion)
        try await org.expectRejection(.notAQuestion, AcceptAnswer(post: post, comment: CommentID(UUID())), as: .member(owner))
        try await org.run(AddComment(post: post, comment: CommentID(UUID()), body: "still works"), as: .member(owner))
    }

    @Test("a version newer than the server knows is refused, not guessed")
    func futureVersion() throws {
        let envelope = EventEnvelope(
            id: UUID(), stream: StreamName("member/x")!, type: EventTypeName("member_left")!, schemaVersion: 9)
        #expect(throws: EventRegistry.DecodingFailure.self) { try EventRegistry.decode(envelope) }
    }

    @Test("every event type round-trips through its payload, and types are unique")
    func registry() {
        let names = EventRegistry.types.map { $0.type }
        #expect(Set(names).count == names.count)
        #expect(names.allSatisfy { EventTypeName($0) != nil })
        #expect(names.count >= 50)
    }
}
