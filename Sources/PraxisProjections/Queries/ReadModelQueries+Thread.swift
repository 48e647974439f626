import GRDB
public import PraxisDomain
public import PraxisProtocol
public import PraxisStore

extension ReadModelQueries {
    /// A post with its comments in the order they were written, `limit` comments a page, as
    /// `reader` may see it: `{"post": {…}, "items": [comments…], "next_cursor": …}`.
    ///
    /// The thread is folded from the post's own stream in `store`, so it is as current as the log
    /// (a reader sees their own comment at once); who may read it is decided by the roster, as for
    /// the community's feed. A deleted post, and a post in a community the reader may not know of,
    /// are `not_found`, with the same message.
    public func thread<Store: EventStore>(
        _ post: PostID, in store: Store, for reader: MemberID, now: Timestamp, cursor: String?, limit: Int
    ) async throws -> Page {
        let notFound = QueryFailure(.notFound, "no post \(post)")
        let first = try cursor.map { try Cursor.decode($0).number } ?? 0
        let folded: ThreadView? = try await Self.fold(post.stream, in: store) { view, event, time in
            ThreadView.evolve(view, event, at: time)
        }
        guard let view = folded, !view.isDeleted else { throw notFound }
        let position = try await readModels.read { db in
            let (roster, position) = try Self.active(db, CommunityRoster())
            do {
                _ = try ReadAccess.check(db, roster, reader: reader, community: view.community, content: true)
            } catch let failure as QueryFailure where failure.code == .notFound {
                throw notFound  // the community's id is not the outsider's to learn either
            }
            return position
        }
        let start = Int(clamping: max(0, first))
        let comments = view.comments.dropFirst(start).prefix(limit)
        let more = start + comments.count < view.comments.count
        var page = Page(
            items: comments.map { view.commentJSON($0, for: reader) },
            nextCursor: more ? Cursor(number: Int64(start + comments.count)).encoded : nil, position: position)
        page.setExtra("post", view.postJSON(for: reader, now: now))
        return page
    }
}
