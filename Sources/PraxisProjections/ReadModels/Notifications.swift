public import GRDB
import PraxisDomain
public import PraxisProtocol
import PraxisStore

/// What each member should know about: mentions, replies to their posts and comments, answers to
/// their questions, their answers accepted, mentoring requests addressed to them, and requests to
/// join the communities they own or moderate — each read or unread.
///
/// A notification is a row here, never a message sent: replaying the log rebuilds the same rows
/// and sends nothing.
public struct Notifications: Projection {
    public let name = "notifications"
    public let version = 2

    public init() {}

    public func create(_ db: Database, _ t: TableNames) throws {
        try db.execute(
            sql: """
                CREATE TABLE \(t("items")) (member TEXT NOT NULL, position INTEGER NOT NULL, seq INTEGER NOT NULL,
                    kind TEXT NOT NULL, actor TEXT, community TEXT, subject TEXT NOT NULL, comment TEXT, at TEXT NOT NULL,
                    PRIMARY KEY (member, position, seq)) STRICT;
                CREATE INDEX \(t("items_by_subject")) ON \(t("items")) (subject);
                CREATE INDEX \(t("items_by_comment")) ON \(t("items")) (comment) WHERE comment IS NOT NULL;
                CREATE TABLE \(t("read_marks")) (member TEXT PRIMARY KEY, up_to INTEGER NOT NULL) STRICT;
                CREATE TABLE \(t("posts")) (post TEXT PRIMARY KEY, community TEXT NOT NULL, author TEXT NOT NULL, kind TEXT NOT NULL) STRICT;
                CREATE TABLE \(t("comments")) (comment TEXT PRIMARY KEY, author TEXT NOT NULL) STRICT;
                CREATE TABLE \(t("moderators")) (community TEXT NOT NULL, member TEXT NOT NULL, PRIMARY KEY (community, member)) STRICT;
                """)
    }

    public func apply(_ e: ProjectedEvent, _ db: Database, _ t: TableNames) throws {
        var outbox = Outbox(db: db, tables: t, event: e)
        switch e.event {
        case let event as CommunityCreated:
            try db.cachedStatement(sql: "INSERT INTO \(t("moderators")) VALUES (?, ?)").run(
                event.community.description, event.creator.description)
        case let event as MemberRoleChanged:
            if event.role.moderates {
                try db.cachedStatement(sql: "INSERT OR IGNORE INTO \(t("moderators")) VALUES (?, ?)").run(
                    event.community.description, event.member.description)
            } else {
                try dropModerator(db, t, event.community, event.member)
            }
        case let event as MemberLeft: try dropModerator(db, t, event.community, event.member)
        case let event as MemberRemoved: try dropModerator(db, t, event.community, event.member)
        case let event as PostCreated:
            try db.cachedStatement(sql: "INSERT INTO \(t("posts")) VALUES (?, ?, ?, ?)").run(
                event.post.description, event.community.description, event.author.description, event.kind.rawValue)
            for mentioned in event.mentions where mentioned != event.author {
                try outbox.notify(
                    mentioned, "mention", actor: event.author, community: event.community.description,
                    subject: event.post.description)
            }
        case let event as CommentAdded:
            try db.cachedStatement(sql: "INSERT INTO \(t("comments")) VALUES (?, ?)").run(
                event.comment.description, event.author.description)
            guard
                let post = try Row.fetchOne(
                    db.cachedStatement(sql: "SELECT community, author, kind FROM \(t("posts")) WHERE post = ?"),
                    arguments: [event.post.description])
            else { return }
            let community: String = post["community"]
            let subject = event.post.description
            var notified: Set<String> = [event.author.description]
            if let parent = event.parent,
                let parentAuthor = try String.fetchOne(
                    db.cachedStatement(sql: "SELECT author FROM \(t("comments")) WHERE comment = ?"),
                    arguments: [parent.description]),
                notified.insert(parentAuthor).inserted
            {
                try outbox.notify(
                    parentAuthor, "reply", actor: event.author, community: community, subject: subject, comment: event.comment)
            }
            let postAuthor: String = post["author"]
            if notified.insert(postAuthor).inserted {
                let kind = post["kind"] == PostKind.question.rawValue && event.parent == nil ? "answer" : "reply"
                try outbox.notify(
                    postAuthor, kind, actor: event.author, community: community, subject: subject, comment: event.comment)
            }
            for mentioned in event.mentions where notified.insert(mentioned.description).inserted {
                try outbox.notify(
                    mentioned, "mention", actor: event.author, community: community, subject: subject, comment: event.comment)
            }
        case let event as AnswerAccepted:
            guard
                let post = try Row.fetchOne(
                    db.cachedStatement(sql: "SELECT community FROM \(t("posts")) WHERE post = ?"),
                    arguments: [event.post.description]),
                let author = try String.fetchOne(
                    db.cachedStatement(sql: "SELECT author FROM \(t("comments")) WHERE comment = ?"),
                    arguments: [event.comment.description]),
                author != event.acceptedBy.description
            else { return }
            try outbox.notify(
                author, "answer_accepted", actor: event.acceptedBy, community: post["community"], subject: event.post.description,
                comment: event.comment)
        case let event as PostDeleted:
            try db.cachedStatement(sql: "DELETE FROM \(t("items")) WHERE subject = ?").run(event.post.description)
        case let event as CommentDeleted:
            try db.cachedStatement(sql: "DELETE FROM \(t("items")) WHERE comment = ?").run(event.comment.description)
        case let event as MentoringRequested:
            if let mentor = event.mentor {
                try outbox.notify(
                    mentor, "mentoring_request", actor: event.mentee, community: nil, subject: event.mentoring.description)
            }
        case let event as MembershipRequested:
            let moderators = try String.fetchAll(
                db.cachedStatement(sql: "SELECT member FROM \(t("moderators")) WHERE community = ? ORDER BY member"),
                arguments: [event.community.description])
            for moderator in moderators {
                try outbox.notify(
                    moderator, "join_request", actor: event.member, community: event.community.description,
                    subject: event.community.description)
            }
        case let event as NotificationsRead:
            try db.cachedStatement(
                sql:
                    "INSERT INTO \(t("read_marks")) VALUES (?, ?) ON CONFLICT (member) DO UPDATE SET up_to = max(up_to, excluded.up_to)"
            ).run(event.member.description, event.upTo)
        default: break
        }
    }

    private func dropModerator(_ db: Database, _ t: TableNames, _ community: CommunityID, _ member: MemberID) throws {
        try db.cachedStatement(sql: "DELETE FROM \(t("moderators")) WHERE community = ? AND member = ?").run(
            community.description, member.description)
    }

    public func dump(_ db: Database, _ t: TableNames, into row: (JSONValue) -> Void) throws {
        try db.dumpRows(
            [
                "SELECT 'items' AS t, * FROM \(t("items")) ORDER BY member, position, seq",
                "SELECT 'read_marks' AS t, * FROM \(t("read_marks")) ORDER BY member",
                "SELECT 'posts' AS t, * FROM \(t("posts")) ORDER BY post",
                "SELECT 'comments' AS t, * FROM \(t("comments")) ORDER BY comment",
                "SELECT 'moderators' AS t, * FROM \(t("moderators")) ORDER BY community, member",
            ], into: row)
    }
}

/// Writes one event's notifications, numbering them within the event.
private struct Outbox {
    let db: Database
    let tables: TableNames
    let event: ProjectedEvent
    var seq = 0

    mutating func notify(
        _ member: some CustomStringConvertible, _ kind: String, actor: MemberID?, community: String?, subject: String,
        comment: CommentID? = nil
    ) throws {
        try db.cachedStatement(sql: "INSERT INTO \(tables("items")) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)").run(
            member.description, event.position.value, seq, kind, actor?.description, community, subject, comment?.description,
            event.serverTime.rfc3339)
        seq += 1
    }
}
