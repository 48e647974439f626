public import GRDB
import PraxisDomain
public import PraxisProtocol
import PraxisStore

/// Full-text search over posts and comments (SQLite FTS5, ranked by bm25). Deleted content leaves
/// the index; edits replace what was indexed.
///
/// The full-text table finds documents by words only: a lookup by post or comment there reads every
/// document. So `documents_by_key` maps each post and comment to its document's rowid, and edits
/// and deletions go through it.
public struct Search: Projection {
    public let name = "search"
    public let version = 2

    public init() {}

    public func create(_ db: Database, _ t: TableNames) throws {
        try db.execute(
            sql: """
                CREATE VIRTUAL TABLE \(t("documents")) USING fts5(
                    title, body, post UNINDEXED, comment UNINDEXED, community UNINDEXED, author UNINDEXED,
                    position UNINDEXED, tokenize = 'unicode61 remove_diacritics 2');
                CREATE TABLE \(t("posts")) (post TEXT PRIMARY KEY, community TEXT NOT NULL, title TEXT NOT NULL) STRICT;
                CREATE TABLE \(t("documents_by_key")) (post TEXT NOT NULL, comment TEXT NOT NULL, document INTEGER NOT NULL,
                    PRIMARY KEY (post, comment)) STRICT, WITHOUT ROWID;
                CREATE INDEX \(t("documents_by_comment")) ON \(t("documents_by_key")) (comment);
                """)
    }

    public func apply(_ e: ProjectedEvent, _ db: Database, _ t: TableNames) throws {
        switch e.event {
        case let event as PostCreated:
            try db.cachedStatement(sql: "INSERT INTO \(t("posts")) VALUES (?, ?, ?)").run(
                event.post.description, event.community.description, event.title)
            try index(
                db, t, title: event.title, body: event.body, post: event.post.description, comment: "",
                community: event.community.description, author: event.author.description, e.position)
        case let event as PostEdited:
            guard
                let community = try String.fetchOne(
                    db.cachedStatement(sql: "SELECT community FROM \(t("posts")) WHERE post = ?"),
                    arguments: [event.post.description])
            else { return }
            let author =
                try String.fetchOne(
                    db.cachedStatement(sql: "SELECT author FROM \(t("documents")) WHERE rowid = \(document(t, byPost: true))"),
                    arguments: [event.post.description]) ?? ""
            try db.cachedStatement(sql: "DELETE FROM \(t("documents")) WHERE rowid = \(document(t, byPost: true))").run(
                event.post.description)
            try db.cachedStatement(sql: "DELETE FROM \(t("documents_by_key")) WHERE post = ? AND comment = ''").run(
                event.post.description)
            try db.cachedStatement(sql: "UPDATE \(t("posts")) SET title = ? WHERE post = ?").run(
                event.title, event.post.description)
            try index(
                db, t, title: event.title, body: event.body, post: event.post.description, comment: "",
                community: community, author: author, e.position)
        case let event as PostDeleted:
            try db.cachedStatement(
                sql: "DELETE FROM \(t("documents")) WHERE rowid IN (SELECT document FROM \(t("documents_by_key")) WHERE post = ?)"
            ).run(event.post.description)
            try db.cachedStatement(sql: "DELETE FROM \(t("documents_by_key")) WHERE post = ?").run(event.post.description)
            try db.cachedStatement(sql: "DELETE FROM \(t("posts")) WHERE post = ?").run(event.post.description)
        case let event as CommentAdded:
            guard
                let post = try Row.fetchOne(
                    db.cachedStatement(sql: "SELECT community FROM \(t("posts")) WHERE post = ?"),
                    arguments: [event.post.description])
            else { return }
            // A comment matches on its own words; its post's title is joined in when results are shown.
            try index(
                db, t, title: "", body: event.body, post: event.post.description, comment: event.comment.description,
                community: post["community"], author: event.author.description, e.position)
        case let event as CommentEdited:
            try db.cachedStatement(sql: "UPDATE \(t("documents")) SET body = ? WHERE rowid = \(document(t, byPost: false))")
                .run(event.body, event.comment.description)
        case let event as CommentDeleted:
            try db.cachedStatement(sql: "DELETE FROM \(t("documents")) WHERE rowid = \(document(t, byPost: false))").run(
                event.comment.description)
            try db.cachedStatement(sql: "DELETE FROM \(t("documents_by_key")) WHERE comment = ?").run(event.comment.description)
        default: break
        }
    }

    private func index(
        _ db: Database, _ t: TableNames, title: String, body: String, post: String, comment: String, community: String,
        author: String, _ position: LogPosition
    ) throws {
        try db.cachedStatement(
            sql:
                "INSERT INTO \(t("documents")) (title, body, post, comment, community, author, position) VALUES (?, ?, ?, ?, ?, ?, ?)"
        ).run(title, body, post, comment, community, author, position.value)
        try db.cachedStatement(sql: "INSERT OR REPLACE INTO \(t("documents_by_key")) VALUES (?, ?, ?)").run(
            post, comment, db.lastInsertedRowID)
    }

    /// The subquery giving the rowid of a post's own document (`byPost`, one argument: the post)
    /// or of a comment's (one argument: the comment).
    private func document(_ t: TableNames, byPost: Bool) -> String {
        byPost
            ? "(SELECT document FROM \(t("documents_by_key")) WHERE post = ? AND comment = '')"
            : "(SELECT document FROM \(t("documents_by_key")) WHERE comment = ?)"
    }

    public func dump(_ db: Database, _ t: TableNames, into row: (JSONValue) -> Void) throws {
        try db.dumpRows(
            [
                "SELECT 'documents' AS t, post, comment, community, author, title, body, position FROM \(t("documents")) ORDER BY post, comment",
                "SELECT 'posts' AS t, * FROM \(t("posts")) ORDER BY post",
            ], into: row)
    }
}
