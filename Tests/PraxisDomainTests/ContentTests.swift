import Foundation
import PraxisCommands
import PraxisDomain
import PraxisProtocol
import PraxisStore
import Testing

@Suite("Posts, comments, reactions, answers")
struct ContentTests {
    /// A community with an owner, a moderator, a member and an outsider.
    struct Cast {
        let org: Organisation
        let owner: MemberID, moderator: MemberID, member: MemberID, peer: MemberID, outsider: MemberID
        let community: CommunityID

        init() async throws {
            org = try Organisation()
            owner = try await org.member("Olga")
            moderator = try await org.member("Mo")
            member = try await org.member("Ada")
            peer = try await org.member("Pat", department: "Sales")
            outsider = try await org.member("Otto")
            community = try await org.community("Swift", owner: owner)
            for id in [moderator, member, peer] { try await org.run(JoinCommunity(community: community), as: .member(id)) }
            try await org.run(ChangeMemberRole(community: community, member: moderator, role: .moderator), as: .member(owner))
        }
    }

    @Test("posting: members only; announcements for moderators; content rules per kind")
    func posting() async throws {
        let cast = try await Cast()
        let org = cast.org
        func post(_ kind: PostKind, title: String? = "T", body: String? = "B", link: String? = nil) -> CreatePost {
            CreatePost(post: PostID(UUID()), community: cast.community, kind: kind, title: title, body: body, link: link)
        }
        try await org.expectRejection(.notMember, post(.discussion), as: .member(cast.outsider))
        try await org.expectRejection(.forbidden, post(.announcement), as: .member(cast.member))
        try await org.run(post(.announcement), as: .member(cast.moderator))
        try await org.expectRejection(.invalidField, field: "title", post(.question, title: nil), as: .member(cast.member))
        try await org.expectRejection(
            .invalidField, field: "title", post(.question, title: String(repeating: "x", count: 201)), as: .member(cast.member))
        try await org.expectRejection(
            .invalidField, field: "body", post(.discussion, body: String(repeating: "x", count: 40_001)), as: .member(cast.member)
        )
        try await org.expectRejection(.invalidField, field: "body", post(.discussion, body: "  \n "), as: .member(cast.member))
        try await org.expectRejection(.invalidField, field: "body", post(.discussion, body: "nul\u{0}"), as: .member(cast.member))
        try await org.expectRejection(.invalidField, field: "link", post(.resource, body: nil), as: .member(cast.member))
        try await org.expectRejection(
            .invalidField, field: "link", post(.resource, link: "ftp://files.example.com/x"), as: .member(cast.member))
        try await org.expectRejection(
            .invalidField, field: "link", post(.resource, link: "javascript:alert(1)"), as: .member(cast.member))
        try await org.run(post(.resource, body: nil, link: "https://swift.org/documentation"), as: .member(cast.member))
        try await org.run(post(.discussion, title: nil, body: "Multi-line\n\tbody is fine"), as: .member(cast.member))
        var taken = post(.discussion)
        try await org.run(taken, as: .member(cast.member))
        taken.body = "again"
        try await org.expectRejection(.alreadyExists, taken, as: .member(cast.member))
    }

    @Test("mentions and #tags are parsed from the text")
    func mentionsAndTags() async throws {
        let cast = try await Cast()
        let id = PostID(UUID())
        let events = try await cast.org.run(
            CreatePost(
                post: id, community: cast.community, kind: .bestPractice, title: "Code review #Quality",
                body: "Thanks @\(cast.moderator) and @\(cast.moderator), see #swift-6 and #quality. Not a tag: C#"),
            as: .member(cast.member))
        let payload = try #require(events.first?.envelope.payload)
        #expect(payload["mentions"] == .array([.string(cast.moderator.description)]))
        #expect(payload["tags"] == ["quality", "swift-6"])
        #expect(payload["kind"] == "best_practice")
    }

    @Test("editing by the author only, keeping history; deleting by author or moderator, then gone")
    func editAndDelete() async throws {
        let cast = try await Cast()
        let org = cast.org
        let post = try await org.post(in: cast.community, by: cast.member, body: "first")
        try await org.expectRejection(.forbidden, EditPost(post: post, body: "hijack"), as: .member(cast.moderator))
        try await org.run(EditPost(post: post, body: "second"), as: .member(cast.member))
        try await org.expectRejection(.notMember, EditPost(post: post, body: "x"), as: .member(cast.outsider))
        try await org.expectRejection(.forbidden, DeletePost(post: post), as: .member(cast.peer))
        try await org.run(DeletePost(post: post), as: .member(cast.moderator))
        try await org.expectRejection(.notFound, DeletePost(post: post), as: .member(cast.member))
        try await org.expectRejection(.notFound, EditPost(post: post, body: "third"), as: .member(cast.member))
        try await org.expectRejection(
            .notFound, AddComment(post: post, comment: CommentID(UUID()), body: "late"), as: .member(cast.member))
        let history = try await org.store.readStream(post.stream, direction: .forward, from: nil, limit: 10)
        #expect(history.map(\.type.rawValue) == ["post_created", "post_edited", "post_deleted"])
        #expect(history[0].envelope.payload["body"] == "first")
        #expect(try await org.postState(post)?.isDeleted == true)
    }

    @Test("comments go one level deep; authors and moderators delete them")
    func comments() async throws {
        let cast = try await Cast()
        let org = cast.org
        let post = try await org.post(in: cast.community, by: cast.owner)
        let top = CommentID(UUID())
        let reply = CommentID(UUID())
        try await org.run(AddComment(post: post, comment: top, body: "top"), as: .member(cast.member))
        try await org.run(AddComment(post: post, comment: reply, parent: top, body: "reply"), as: .member(cast.moderator))
        try await org.expectRejection(
            .invalidField, field: "parent", AddComment(post: post, comment: CommentID(UUID()), parent: reply, body: "deep"),
            as: .member(cast.member))
        try await org.expectRejection(
            .notFound, AddComment(post: post, comment: CommentID(UUID()), parent: CommentID(UUID()), body: "x"),
            as: .member(cast.member))
        try await org.expectRejection(.alreadyExists, AddComment(post: post, comment: top, body: "dup"), as: .member(cast.member))
        try await org.expectRejection(
            .notMember, AddComment(post: post, comment: CommentID(UUID()), body: "x"), as: .member(cast.outsider))
        try await org.expectRejection(.forbidden, EditComment(post: post, comment: top, body: "x"), as: .member(cast.moderator))
        try await org.run(EditComment(post: post, comment: top, body: "edited"), as: .member(cast.member))
        try await org.expectRejection(.forbidden, DeleteComment(post: post, comment: reply), as: .member(cast.member))
        try await org.run(DeleteComment(post: post, comment: top), as: .member(cast.moderator))
        try await org.expectRejection(.notFound, EditComment(post: post, comment: top, body: "x"), as: .member(cast.member))
    }

    @Test("reactions: once each, on live targets, removable")
    func reactions() async throws {
        let cast = try await Cast()
        let org = cast.org
        let post = try await org.post(in: cast.community, by: cast.owner)
        let comment = CommentID(UUID())
        try await org.run(AddComment(post: post, comment: comment, body: "c"), as: .member(cast.member))
        try await org.run(React(post: post, reaction: .like), as: .member(cast.member))
        try await org.run(React(post: post, reaction: .thanks), as: .member(cast.member))
        try await org.run(React(post: post, comment: comment, reaction: .insightful), as: .member(cast.owner))
        try await org.expectRejection(.invalidState, React(post: post, reaction: .like), as: .member(cast.member))
        try await org.expectRejection(
            .notFound, React(post: post, comment: CommentID(UUID()), reaction: .like), as: .member(cast.member))
        try await org.expectRejection(.notMember, React(post: post, reaction: .like), as: .member(cast.outsider))
        try await org.run(React(post: post, reaction: .like, add: false), as: .member(cast.member))
        try await org.expectRejection(.notFound, React(post: post, reaction: .like, add: false), as: .member(cast.member))
        #expect(try await org.postState(post)?.reactions.count == 2)
    }

    @Test("accepted answers: questions only, by the asker or a moderator, top-level comments only")
    func answers() async throws {
        let cast = try await Cast()
        let org = cast.org
        let question = try await org.post(in: cast.community, by: cast.member, kind: .question, title: "How?")
        let discussion = try await org.post(in: cast.community, by: cast.member)
        let answer = CommentID(UUID())
        let reply = CommentID(UUID())
        try await org.run(AddComment(post: question, comment: answer, body: "Like so"), as: .member(cast.owner))
        try await org.run(AddComment(post: question, comment: reply, parent: answer, body: "+1"), as: .member(cast.owner))
        let other = CommentID(UUID())
        try await org.run(AddComment(post: discussion, comment: other, body: "x"), as: .member(cast.owner))
        try await org.expectRejection(.notAQuestion, AcceptAnswer(post: discussion, comment: other), as: .member(cast.member))
        try await org.expectRejection(.forbidden, AcceptAnswer(post: question, comment: answer), as: .member(cast.peer))
        try await org.expectRejection(.notFound, AcceptAnswer(post: question, comment: reply), as: .member(cast.member))
        try await org.run(AcceptAnswer(post: question, comment: answer), as: .member(cast.member))
        try await org.expectRejection(.invalidState, AcceptAnswer(post: question, comment: answer), as: .member(cast.moderator))
        #expect(try await org.postState(question)?.acceptedAnswer == answer)
    }

    @Test("pins: moderators only, optionally until a future time")
    func pins() async throws {
        let cast = try await Cast()
        let org = cast.org
        let post = try await org.post(in: cast.community, by: cast.moderator, kind: .announcement)
        try await org.expectRejection(.forbidden, SetPostPinned(post: post, pinned: true), as: .member(cast.member))
        try await org.expectRejection(
            .invalidField, field: "until", SetPostPinned(post: post, pinned: true, until: org.now), as: .member(cast.owner))
        try await org.expectRejection(.invalidState, SetPostPinned(post: post, pinned: false), as: .member(cast.owner))
        let until = Timestamp(millisecondsSinceEpoch: org.now.millisecondsSinceEpoch + 86_400_000)
        try await org.run(SetPostPinned(post: post, pinned: true, until: until), as: .member(cast.owner))
        #expect(try await org.postState(post)?.pinnedUntil == .some(until))
        try await org.run(SetPostPinned(post: post, pinned: false), as: .member(cast.moderator))
    }
}
