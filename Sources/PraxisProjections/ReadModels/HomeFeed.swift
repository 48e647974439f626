public import GRDB
import PraxisDomain
public import PraxisProtocol
import PraxisStore

/// Each member's home feed: posts from the communities they belong to or follow and from the
/// members they follow, newest first, with pinned announcements on top until dismissed or expired.
///
/// A feed shows what was posted since the reader joined the community or started following.
/// Community posts are merged at read time: a page reads each of the reader's communities newest
/// first, one index range each and only as far as a page needs (see
/// ``ReadModelQueries/homeFeed``). Fanning them out on write cost one inbox row per member for each
/// post — 24.8 million rows on a 917,603-event demo log, three quarters of rebuilding every read
/// model there. Posts of followed members are still fanned out into the followers' inboxes, so a
/// page does not read one range per followed member. Who may read what is checked at read time.
///
/// Inbox rows are two integers: the reader's number (from the `readers` table, in the order
/// readers first followed someone) and the post's log position.
public struct HomeFeed: Projection {
    public let name = "home_feed"
    public let version = 6

    public init() {}

    public func create(_ db: Database, _ t: TableNames) throws {
        try db.execute(
            sql: """
                CREATE TABLE \(t("posts")) (post TEXT PRIMARY KEY, community TEXT NOT NULL, author TEXT NOT NULL,
                    kind TEXT NOT NULL, title TEXT NOT NULL, excerpt TEXT NOT NULL, created_at TEXT NOT NULL,
                    position INTEGER NOT NULL, pinned INTEGER NOT NULL, pinned_until TEXT) STRICT;
                CREATE INDEX \(t("posts_by_position")) ON \(t("posts")) (position);
                CREATE INDEX \(t("pinned_posts")) ON \(t("posts")) (community) WHERE pinned = 1;
                CREATE INDEX \(t("posts_by_community")) ON \(t("posts")) (community, position);
                CREATE TABLE \(t("readers")) (number INTEGER PRIMARY KEY, member TEXT NOT NULL UNIQUE) STRICT;
                CREATE TABLE \(t("memberships")) (member TEXT NOT NULL, community TEXT NOT NULL, since INTEGER NOT NULL,
                    PRIMARY KEY (member, community)) STRICT, WITHOUT ROWID;
                CREATE TABLE \(t("follows")) (follower TEXT NOT NULL, target TEXT NOT NULL, kind TEXT NOT NULL,
                    since INTEGER NOT NULL, reader INTEGER NOT NULL, PRIMARY KEY (follower, target)) STRICT;
                CREATE INDEX \(t("follows_by_target")) ON \(t("follows")) (target);
                CREATE TABLE \(t("inbox")) (reader INTEGER NOT NULL, position INTEGER NOT NULL,
                    PRIMARY KEY (reader, position)) STRICT, WITHOUT ROWID;
                CREATE INDEX \(t("inbox_by_position")) ON \(t("inbox")) (position);
                CREATE TABLE \(t("dismissed")) (member TEXT NOT NULL, post TEXT NOT NULL, PRIMARY KEY (member, post)) STRICT;
                """)
    }

    public func apply(_ e: ProjectedEvent, _ db: Database, _ t: TableNames) throws {
        switch e.event {
        case let event as CommunityCreated: try join(db, t, event.community, event.creator, e.position)
        case let event as MemberJoined: try join(db, t, event.community, event.member, e.position)
        case let event as MembershipApproved: try join(db, t, event.community, event.member, e.position)
        case let event as InvitationAccepted: try join(db, t, event.community, event.member, e.position)
        case let event as MemberAssigned: try join(db, t, event.community, event.member, e.position)
        case let event as MemberLeft: try leave(db, t, event.community, event.member)
        case let event as MemberRemoved: try leave(db, t, event.community, event.member)
        case let event as MemberFollowed: try follow(db, t, event.follower, event.member.description, "member", e.position)
        case let event as MemberUnfollowed: try unfollow(db, t, event.follower, event.member.description)
        case let event as CommunityFollowed:
            try follow(db, t, event.follower, event.community.description, "community", e.position)
        case let event as CommunityUnfollowed: try unfollow(db, t, event.follower, event.community.description)
        case let event as PostCreated: try post(db, t, event, e)
        case let event as PostEdited:
            try db.cachedStatement(sql: "UPDATE \(t("posts")) SET title = ?, excerpt = ? WHERE post = ?").run(
                event.title, excerpt(event.body), event.post.description)
        case let event as PostDeleted:
            try db.cachedStatement(
                sql: "DELETE FROM \(t("inbox")) WHERE position = (SELECT position FROM \(t("posts")) WHERE post = ?)"
            ).run(event.post.description)
            try db.cachedStatement(sql: "DELETE FROM \(t("posts")) WHERE post = ?").run(event.post.description)
        case let event as PostPinned:
            try db.cachedStatement(sql: "UPDATE \(t("posts")) SET pinned = 1, pinned_until = ? WHERE post = ?").run(
                event.until?.rfc3339, event.post.description)
        case let event as PostUnpinned:
            try db.cachedStatement(sql: "UPDATE \(t("posts")) SET pinned = 0, pinned_until = NULL WHERE post = ?").run(
                event.post.description)
        case let event as PinDismissed:
            try db.cachedStatement(sql: "INSERT OR IGNORE INTO \(t("dismissed")) VALUES (?, ?)").run(
                event.member.description, event.post.description)
        default: break
        }
    }

    private func post(_ db: Database, _ t: TableNames, _ event: PostCreated, _ e: ProjectedEvent) throws {
        try db.cachedStatement(sql: "INSERT INTO \(t("posts")) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0, NULL)").run(
            event.post.description, event.community.description, event.author.description, event.kind.rawValue, event.title,
            excerpt(event.body), e.serverTime.rfc3339, e.position.value)
        try db.cachedStatement(
            sql: """
                INSERT OR IGNORE INTO \(t("inbox")) (reader, position)
                SELECT reader, ? FROM \(t("follows")) WHERE target = ? AND kind = 'member'
                """
        ).run(e.position.value, event.author.description)
    }

    private func join(_ db: Database, _ t: TableNames, _ community: CommunityID, _ member: MemberID, _ at: LogPosition) throws {
        try db.cachedStatement(sql: "INSERT OR IGNORE INTO \(t("memberships")) VALUES (?, ?, ?)").run(
            member.description, community.description, at.value)
    }

    private func leave(_ db: Database, _ t: TableNames, _ community: CommunityID, _ member: MemberID) throws {
        try db.cachedStatement(sql: "DELETE FROM \(t("memberships")) WHERE member = ? AND community = ?").run(
            member.description, community.description)
    }

    private func follow(
        _ db: Database, _ t: TableNames, _ follower: MemberID, _ target: String, _ kind: String, _ at: LogPosition
    ) throws {
        try db.cachedStatement(sql: "INSERT OR REPLACE INTO \(t("follows")) VALUES (?, ?, ?, ?, ?)").run(
            follower.description, target, kind, at.value, try reader(db, t, follower))
    }

    /// The member's reader number, given at their first follow.
    private func reader(_ db: Database, _ t: TableNames, _ member: MemberID) throws -> Int64 {
        try db.cachedStatement(sql: "INSERT OR IGNORE INTO \(t("readers")) (member) VALUES (?)").run(member.description)
        return try Int64.fetchOne(
            db.cachedStatement(sql: "SELECT number FROM \(t("readers")) WHERE member = ?"), arguments: [member.description]
        ) ?? 0
    }

    private func unfollow(_ db: Database, _ t: TableNames, _ follower: MemberID, _ target: String) throws {
        try db.cachedStatement(sql: "DELETE FROM \(t("follows")) WHERE follower = ? AND target = ?").run(
            follower.description, target)
    }

    public func dump(_ db: Database, _ t: TableNames, into row: (JSONValue) -> Void) throws {
        try db.dumpRows(
            [
                "SELECT 'posts' AS t, * FROM \(t("posts")) ORDER BY post",
                "SELECT 'readers' AS t, * FROM \(t("readers")) ORDER BY number",
                "SELECT 'memberships' AS t, * FROM \(t("memberships")) ORDER BY member, community",
                "SELECT 'follows' AS t, * FROM \(t("follows")) ORDER BY follower, target",
                "SELECT 'inbox' AS t, * FROM \(t("inbox")) ORDER BY reader, position",
                "SELECT 'dismissed' AS t, * FROM \(t("dismissed")) ORDER BY member, post",
            ], into: row)
    }
}
