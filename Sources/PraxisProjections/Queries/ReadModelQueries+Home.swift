import GRDB
public import PraxisDomain
public import PraxisProtocol
import PraxisStore

extension ReadModelQueries {
    /// The reader's home feed, newest first, from the communities they may read; on the first page,
    /// the pinned announcements of their communities that have not expired and that they have not
    /// dismissed. `now` decides expiry.
    ///
    /// A page is the newest of several sources, each read newest first and only as far as a page
    /// needs: the reader's inbox (posts of the members they follow), and each community they belong
    /// to or follow, from the time they joined or followed it — one range of the posts' community
    /// index each, starting no lower than the page's lowest position found so far.
    public func homeFeed(for reader: MemberID, now: Timestamp, cursor: String?, limit: Int) async throws -> Page {
        try await readModels.read { db in
            let (roster, rosterPosition) = try Self.active(db, CommunityRoster())
            let (home, homePosition) = try Self.active(db, HomeFeed())
            let isInternal = try Self.requireActive(db, roster, reader)
            let before = try cursor.map { try Cursor.decode($0).number } ?? Int64.max
            var newest = NewestPositions(capacity: limit + 1)
            for position in try Int64.fetchAll(
                db.cachedStatement(
                    sql: """
                        SELECT i.position FROM \(home("inbox")) i JOIN \(home("posts")) x ON x.position = i.position
                        WHERE i.reader = (SELECT number FROM \(home("readers")) WHERE member = :me)
                        AND i.position < :before AND \(Self.readable("x.community", roster))
                        ORDER BY i.position DESC LIMIT :count
                        """),
                arguments: ["me": reader.description, "internal": isInternal, "before": before, "count": limit + 1])
            {
                newest.insert(position)
            }
            let communities = try Row.fetchAll(
                db.cachedStatement(
                    sql: """
                        SELECT s.community, MIN(s.since) FROM (
                            SELECT community, since FROM \(home("memberships")) WHERE member = :me
                            UNION ALL SELECT target, since FROM \(home("follows")) WHERE follower = :me AND kind = 'community') s
                        WHERE \(Self.readable("s.community", roster))
                        GROUP BY s.community
                        """), arguments: ["me": reader.description, "internal": isInternal])
            let postsOfCommunity = try db.cachedStatement(
                sql: """
                    SELECT position FROM \(home("posts")) WHERE community = ? AND position > ? AND position < ?
                    ORDER BY position DESC LIMIT ?
                    """)
            for row in communities {
                let since: Int64 = row[1]
                for position in try Int64.fetchAll(
                    postsOfCommunity, arguments: [row[0] as String, max(since, newest.floor), before, limit + 1])
                {
                    newest.insert(position)
                }
            }
            let positions = newest.positions
            let rows =
                try positions.isEmpty
                ? []
                : Row.fetchAll(
                    db.cachedStatement(
                        sql: """
                            SELECT \(Self.homeItemColumns) FROM \(home("posts")) p
                            WHERE p.position IN (\(Array(repeating: "?", count: positions.count).joined(separator: ", ")))
                            ORDER BY p.position DESC
                            """), arguments: StatementArguments(positions))
            var page = Page(
                encodedItems: rows.prefix(limit).map(Self.homeItem),
                nextCursor: rows.count > limit ? Cursor(number: rows[limit - 1][Self.homeItemPosition]).encoded : nil,
                position: min(rosterPosition, homePosition))
            if cursor == nil {
                let pinned = try Row.fetchAll(
                    db.cachedStatement(
                        sql: """
                            SELECT \(Self.homeItemColumns) FROM \(home("posts")) p
                            WHERE p.pinned = 1 AND (p.pinned_until IS NULL OR p.pinned_until > :now)
                            AND p.community IN (SELECT community FROM \(roster("members")) WHERE member = :me)
                            AND p.post NOT IN (SELECT post FROM \(home("dismissed")) WHERE member = :me)
                            ORDER BY p.position DESC
                            """), arguments: ["me": reader.description, "now": now.rfc3339])
                page.setExtra("pinned", encodedElements: pinned.map(Self.homeItem))
            }
            return page
        }
    }

    /// The columns ``homeItem(_:)`` reads, by index: a lookup by name costs a case-insensitive
    /// search of the row's columns for each value, which showed in the feed's profile.
    static let homeItemColumns =
        "p.post, p.community, p.author, p.kind, p.title, p.excerpt, p.created_at, p.position, p.pinned_until"
    static let homeItemPosition = 7

    /// An item's canonical bytes from a row of ``homeItemColumns``, its members written in the order
    /// of their names. Building each item as a JSON value and encoding it (sorting its names) was a
    /// sixth of the server's samples under the feed load.
    static func homeItem(_ row: Row) -> [UInt8] {
        var item = CanonicalObjectWriter()
        item.string("author", row[2])
        item.string("community", row[1])
        item.string("created_at", row[6])
        item.string("excerpt", row[5])
        item.string("kind", row[3])
        if let until: String = row[8] { item.string("pinned_until", until) }
        item.integer("position", row[homeItemPosition])
        item.string("post", row[0])
        item.string("title", row[4])
        return item.finish()
    }
}
