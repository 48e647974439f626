public import GRDB
import PraxisDomain
public import PraxisProtocol
import PraxisStore

/// Each community's posts, newest first, with their Q&A figures: comments, answers (top-level
/// comments by others), the accepted answer, the time of the first answer. Deleted posts and
/// comments leave it entirely.
public struct CommunityFeed: Projection {
    public let name = "community_feed"
    public let version = 1

    public init() {}

    public func create(_ db: Database, _ t: TableNames) throws {
        try db.execute(
            sql: """
                CREATE TABLE \(t("posts")) (post TEXT PRIMARY KEY, community TEXT NOT NULL, author TEXT NOT NULL,
                    kind TEXT NOT NULL, title TEXT NOT NULL, excerpt TEXT NOT NULL, link TEXT, learning_event TEXT,
                    created_at TEXT NOT NULL, position INTEGER NOT NULL, edited_at TEXT,
                    comments INTEGER NOT NULL, answers INTEGER NOT NULL, accepted_comment TEXT,
                    first_answer_at TEXT, pinned INTEGER NOT NULL, pinned_until TEXT) STRICT;
                CREATE INDEX \(t("posts_by_community")) ON \(t("posts")) (community, position);
                CREATE TABLE \(t("comments")) (comment TEXT PRIMARY KEY, post TEXT NOT NULL, author TEXT NOT NULL,
                    parent TEXT, is_answer INTEGER NOT NULL) STRICT;
                CREATE INDEX \(t("comments_by_post")) ON \(t("comments")) (post);
                """)
    }

    public func apply(_ e: ProjectedEvent, _ db: Database, _ t: TableNames) throws {
        switch e.event {
        case let event as PostCreated:
            try db.cachedStatement(
                sql: "INSERT INTO \(t("posts")) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, 0, 0, NULL, NULL, 0, NULL)"
            ).run(
                event.post.description, event.community.description, event.author.description, event.kind.rawValue,
                event.title, excerpt(event.body), event.link, event.learningEvent?.description,
                e.serverTime.rfc3339, e.position.value)
        case let event as PostEdited:
            try db.cachedStatement(sql: "UPDATE \(t("posts")) SET title = ?, excerpt = ?, link = ?, edited_at = ? WHERE post = ?")
                .run(
                    event.title, excerpt(event.body), event.link, e.serverTime.rfc3339,
                    event.post.description)
        case let event as PostDeleted:
            try db.cachedStatement(sql: "DELETE FROM \(t("posts")) WHERE post = ?").run(event.post.description)
            try db.cachedStatement(sql: "DELETE FROM \(t("comments")) WHERE post = ?").run(event.post.description)
        case let event as PostPinned:
            try db.cachedStatement(sql: "UPDATE \(t("posts")) SET pinned = 1, pinned_until = ? WHERE post = ?").run(
                event.until?.rfc3339, event.post.description)
        case let event as PostUnpinned:
            try db.cachedStatement(sql: "UPDATE \(t("posts")) SET pinned = 0, pinned_until = NULL WHERE post = ?").run(
                event.post.description)
        case let event as CommentAdded:
            guard
                let author = try String.fetchOne(
                    db.cachedStatement(sql: "SELECT author FROM \(t("posts")) WHERE post = ?"),
                    arguments: [event.post.description])
            else { return }
            let isAnswer = event.parent == nil && author != event.author.description
            try db.cachedStatement(sql: "INSERT INTO \(t("comments")) VALUES (?, ?, ?, ?, ?)").run(
                event.comment.description, event.post.description, event.author.description, event.parent?.description,
                isAnswer)
            try db.cachedStatement(
                sql: """
                    UPDATE \(t("posts")) SET comments = comments + 1, answers = answers + ?,
                    first_answer_at = CASE WHEN ? AND first_answer_at IS NULL THEN ? ELSE first_answer_at END
                    WHERE post = ?
                    """
            ).run(isAnswer ? 1 : 0, isAnswer, e.serverTime.rfc3339, event.post.description)
        case let event as CommentDeleted:
            guard
                let isAnswer = try Bool.fetchOne(
                    db.cachedStatement(sql: "SELECT is_answer FROM \(t("comments")) WHERE comment = ?"),
                    arguments: [event.comment.description])
            else { return }
            try db.cachedStatement(sql: "DELETE FROM \(t("comments")) WHERE comment = ?").run(event.comment.description)
            try db.cachedStatement(
                sql: """
                    UPDATE \(t("posts")) SET comments = comments - 1, answers = answers - ?,
                    accepted_comment = CASE WHEN accepted_comment = ? THEN NULL ELSE accepted_comment END
                    WHERE post = ?
                    """
            ).run(isAnswer ? 1 : 0, event.comment.description, event.post.description)
        case let event as AnswerAccepted:
            try db.cachedStatement(sql: "UPDATE \(t("posts")) SET accepted_comment = ? WHERE post = ?").run(
                event.comment.description, event.post.description)
        default:
            break
        }
    }

    public func dump(_ db: Database, _ t: TableNames, into row: (JSONValue) -> Void) throws {
        try db.dumpRows(
            [
                "SELECT 'posts' AS t, * FROM \(t("posts")) ORDER BY post",
                "SELECT 'comments' AS t, * FROM \(t("comments")) ORDER BY comment",
            ], into: row)
    }
}
