public import GRDB
import PraxisDomain
public import PraxisProtocol
import PraxisStore

/// The facts community insights are computed from: people with their region and department,
/// membership spans with their origin, every act of participation, posts and their answers, the
/// links between members (answers, accepted answers, comments and thanks, each stamped with both
/// sides' region and department at that moment), learning events, RSVPs, attendance and mentoring.
/// Times are milliseconds since 1970 (server time), so periods are plain arithmetic.
public struct Insights: Projection {
    public let name = "insights"
    public let version = 2

    public init() {}

    public func create(_ db: Database, _ t: TableNames) throws {
        try db.execute(
            sql: """
                CREATE TABLE \(t("people")) (member TEXT PRIMARY KEY, display_name TEXT NOT NULL, region TEXT NOT NULL,
                    department TEXT NOT NULL, leadership TEXT NOT NULL, external INTEGER NOT NULL,
                    registered_at INTEGER NOT NULL) STRICT;
                CREATE TABLE \(t("communities")) (community TEXT PRIMARY KEY, kind TEXT NOT NULL) STRICT;
                CREATE TABLE \(t("memberships")) (community TEXT NOT NULL, member TEXT NOT NULL, origin TEXT NOT NULL,
                    joined_at INTEGER NOT NULL, left_at INTEGER, PRIMARY KEY (community, member, joined_at)) STRICT;
                CREATE TABLE \(t("activity")) (seq INTEGER PRIMARY KEY, community TEXT NOT NULL, member TEXT NOT NULL,
                    kind TEXT NOT NULL, at INTEGER NOT NULL) STRICT;
                CREATE INDEX \(t("activity_by_community")) ON \(t("activity")) (community, at);
                CREATE TABLE \(t("posts")) (post TEXT PRIMARY KEY, community TEXT NOT NULL, author TEXT NOT NULL,
                    kind TEXT NOT NULL, title TEXT NOT NULL, at INTEGER NOT NULL, deleted INTEGER NOT NULL,
                    first_answer_at INTEGER, accepted_at INTEGER, reactions INTEGER NOT NULL, cites TEXT NOT NULL) STRICT;
                CREATE INDEX \(t("posts_by_community")) ON \(t("posts")) (community, at);
                CREATE TABLE \(t("comments")) (comment TEXT PRIMARY KEY, post TEXT NOT NULL, author TEXT NOT NULL,
                    at INTEGER NOT NULL) STRICT;
                CREATE TABLE \(t("links")) (seq INTEGER PRIMARY KEY, community TEXT NOT NULL, kind TEXT NOT NULL,
                    actor TEXT NOT NULL, helper TEXT NOT NULL, helped TEXT NOT NULL, target TEXT NOT NULL, at INTEGER NOT NULL,
                    helper_region TEXT NOT NULL, helper_department TEXT NOT NULL, helped_region TEXT NOT NULL,
                    helped_department TEXT NOT NULL) STRICT;
                CREATE INDEX \(t("links_by_community")) ON \(t("links")) (community, at);
                CREATE INDEX \(t("links_by_target")) ON \(t("links")) (target, actor);
                CREATE TABLE \(t("learning")) (event TEXT PRIMARY KEY, community TEXT NOT NULL, start INTEGER NOT NULL,
                    cancelled INTEGER NOT NULL) STRICT;
                CREATE TABLE \(t("rsvps")) (event TEXT NOT NULL, member TEXT NOT NULL, response TEXT NOT NULL,
                    PRIMARY KEY (event, member)) STRICT;
                CREATE TABLE \(t("attendance")) (event TEXT NOT NULL, member TEXT NOT NULL, PRIMARY KEY (event, member)) STRICT;
                CREATE TABLE \(t("mentoring")) (mentoring TEXT PRIMARY KEY, mentee TEXT NOT NULL, mentor TEXT,
                    community TEXT, accepted_at INTEGER, ended_at INTEGER) STRICT;
                CREATE TABLE \(t("clock")) (id INTEGER PRIMARY KEY CHECK (id = 1), at INTEGER NOT NULL) STRICT;
                """)
    }

    public func apply(_ e: ProjectedEvent, _ db: Database, _ t: TableNames) throws {
        let at = e.serverTime.millisecondsSinceEpoch
        switch e.event {
        case let event as MemberRegistered:
            try db.cachedStatement(sql: "INSERT INTO \(t("people")) VALUES (?, ?, ?, ?, ?, ?, ?)").run(
                event.member.description, event.displayName, event.region, event.department, event.leadership.rawValue,
                event.external, at)
        case let event as MemberProfileUpdated:
            try db.cachedStatement(sql: "UPDATE \(t("people")) SET display_name = ?, leadership = ? WHERE member = ?").run(
                event.displayName, event.leadership.rawValue, event.member.description)
        case let event as MemberMoved:
            try db.cachedStatement(sql: "UPDATE \(t("people")) SET region = ?, department = ? WHERE member = ?").run(
                event.region, event.department, event.member.description)
        case let event as CommunityCreated:
            try db.cachedStatement(sql: "INSERT INTO \(t("communities")) VALUES (?, ?)").run(
                event.community.description, event.kind.rawValue)
            try join(db, t, event.community, event.creator, .voluntary, at)
        case let event as MemberJoined: try join(db, t, event.community, event.member, .voluntary, at)
        case let event as MembershipApproved: try join(db, t, event.community, event.member, .voluntary, at)
        case let event as InvitationAccepted: try join(db, t, event.community, event.member, .invited, at)
        case let event as MemberAssigned: try join(db, t, event.community, event.member, .assigned, at)
        case let event as MemberLeft: try leave(db, t, event.community, event.member, at)
        case let event as MemberRemoved: try leave(db, t, event.community, event.member, at)
        default: try applyContent(e, db, t)
        }
    }

    /// Moves the clock (the latest server time seen, which reports measure periods back from) once
    /// a batch: one statement for every event was an eighth of all the read models' statements.
    public func finishBatch(latestServerTime: Timestamp, _ db: Database, _ t: TableNames) throws {
        try db.cachedStatement(
            sql: "INSERT INTO \(t("clock")) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET at = MAX(at, excluded.at)"
        ).run(latestServerTime.millisecondsSinceEpoch)
    }

    private func applyContent(_ e: ProjectedEvent, _ db: Database, _ t: TableNames) throws {
        let at = e.serverTime.millisecondsSinceEpoch
        switch e.event {
        case let event as PostCreated:
            let cites = event.cites.map { JSONValue.string($0.description) }
            try db.cachedStatement(sql: "INSERT INTO \(t("posts")) VALUES (?, ?, ?, ?, ?, ?, 0, NULL, NULL, 0, ?)").run(
                event.post.description, event.community.description, event.author.description, event.kind.rawValue,
                event.title, at, String(decoding: CanonicalJSON.encode(.array(cites)), as: UTF8.self))
            try act(db, t, event.community.description, event.author.description, "post", at)
        case let event as PostEdited:
            try db.cachedStatement(sql: "UPDATE \(t("posts")) SET title = ? WHERE post = ?").run(
                event.title, event.post.description)
        case let event as PostDeleted:
            try db.cachedStatement(sql: "UPDATE \(t("posts")) SET deleted = 1 WHERE post = ?").run(event.post.description)
        case let event as CommentAdded:
            try comment(event, db, t, at)
        case let event as AnswerAccepted:
            guard let post = try postRow(db, t, event.post),
                let answerer = try String.fetchOne(
                    db.cachedStatement(sql: "SELECT author FROM \(t("comments")) WHERE comment = ?"),
                    arguments: [event.comment.description])
            else { return }
            try db.cachedStatement(sql: "UPDATE \(t("posts")) SET accepted_at = COALESCE(accepted_at, ?) WHERE post = ?").run(
                at, event.post.description)
            try link(
                db, t, community: post.community, kind: "accepted_answer", actor: event.acceptedBy.description,
                helper: answerer, helped: post.author, target: event.comment.description, at: at)
        case let event as ReactionAdded:
            try reaction(event, db, t, at)
        case let event as ReactionRemoved:
            if event.comment == nil {
                try db.cachedStatement(sql: "UPDATE \(t("posts")) SET reactions = MAX(reactions - 1, 0) WHERE post = ?").run(
                    event.post.description)
            }
            if event.reaction == .thanks {
                // A thanks taken back no longer counts.
                try db.cachedStatement(
                    sql: """
                        DELETE FROM \(t("links")) WHERE seq = (SELECT MAX(seq) FROM \(t("links"))
                        WHERE kind = 'thanks' AND actor = ? AND target = ?)
                        """
                ).run(event.member.description, (event.comment?.description ?? event.post.description))
            }
        default: try applyLearningAndMentoring(e, db, t)
        }
    }

    private func applyLearningAndMentoring(_ e: ProjectedEvent, _ db: Database, _ t: TableNames) throws {
        let at = e.serverTime.millisecondsSinceEpoch
        switch e.event {
        case let event as LearningEventScheduled:
            try db.cachedStatement(sql: "INSERT INTO \(t("learning")) VALUES (?, ?, ?, 0)").run(
                event.learningEvent.description, event.community.description, event.start.millisecondsSinceEpoch)
        case let event as LearningEventCancelled:
            try db.cachedStatement(sql: "UPDATE \(t("learning")) SET cancelled = 1 WHERE event = ?").run(
                event.learningEvent.description)
        case let event as RSVPRecorded:
            try db.cachedStatement(sql: "INSERT OR REPLACE INTO \(t("rsvps")) VALUES (?, ?, ?)").run(
                event.learningEvent.description, event.member.description, event.response.rawValue)
        case let event as AttendanceRecorded:
            guard
                let community = try String.fetchOne(
                    db.cachedStatement(sql: "SELECT community FROM \(t("learning")) WHERE event = ?"),
                    arguments: [event.learningEvent.description])
            else { return }
            for attendee in event.attendees {
                try db.cachedStatement(sql: "INSERT OR IGNORE INTO \(t("attendance")) VALUES (?, ?)").run(
                    event.learningEvent.description, attendee.description)
                if db.changesCount > 0 { try act(db, t, community, attendee.description, "attendance", at) }
            }
        case let event as MentoringRequested:
            try db.cachedStatement(sql: "INSERT INTO \(t("mentoring")) VALUES (?, ?, ?, ?, NULL, NULL)").run(
                event.mentoring.description, event.mentee.description, event.mentor?.description,
                event.community?.description)
        case let event as MentoringAccepted:
            try db.cachedStatement(sql: "UPDATE \(t("mentoring")) SET mentor = ?, accepted_at = ? WHERE mentoring = ?").run(
                event.mentor.description, at, event.mentoring.description)
        case let event as MentoringDeclined:
            try db.cachedStatement(sql: "UPDATE \(t("mentoring")) SET ended_at = ? WHERE mentoring = ?").run(
                at, event.mentoring.description)
        case let event as MentoringEnded:
            try db.cachedStatement(sql: "UPDATE \(t("mentoring")) SET ended_at = ? WHERE mentoring = ?").run(
                at, event.mentoring.description)
        default: break
        }
    }

    private func comment(_ event: CommentAdded, _ db: Database, _ t: TableNames, _ at: Int64) throws {
        guard let post = try postRow(db, t, event.post) else { return }
        let author = event.author.description
        try db.cachedStatement(sql: "INSERT INTO \(t("comments")) VALUES (?, ?, ?, ?)").run(
            event.comment.description, event.post.description, author, at)
        try act(db, t, post.community, author, "comment", at)
        guard author != post.author else { return }
        let isAnswer = post.kind == PostKind.question.rawValue && event.parent == nil
        if isAnswer {
            try db.cachedStatement(sql: "UPDATE \(t("posts")) SET first_answer_at = COALESCE(first_answer_at, ?) WHERE post = ?")
                .run(at, event.post.description)
        }
        try link(
            db, t, community: post.community, kind: isAnswer ? "answer" : "comment", actor: author, helper: author,
            helped: post.author, target: event.comment.description, at: at)
    }

    private func reaction(_ event: ReactionAdded, _ db: Database, _ t: TableNames, _ at: Int64) throws {
        guard let post = try postRow(db, t, event.post) else { return }
        let member = event.member.description
        try act(db, t, post.community, member, "reaction", at)
        if event.comment == nil {
            try db.cachedStatement(sql: "UPDATE \(t("posts")) SET reactions = reactions + 1 WHERE post = ?").run(
                event.post.description)
        }
        guard event.reaction == .thanks else { return }
        let thanked: String?
        if let comment = event.comment {
            thanked = try String.fetchOne(
                db.cachedStatement(sql: "SELECT author FROM \(t("comments")) WHERE comment = ?"), arguments: [comment.description]
            )
        } else {
            thanked = post.author
        }
        guard let thanked else { return }
        try link(
            db, t, community: post.community, kind: "thanks", actor: member, helper: thanked, helped: member,
            target: event.comment?.description ?? event.post.description, at: at)
    }

    private struct PostFacts {
        let community: String
        let author: String
        let kind: String
    }

    private func postRow(_ db: Database, _ t: TableNames, _ post: PostID) throws -> PostFacts? {
        try Row.fetchOne(
            db.cachedStatement(sql: "SELECT community, author, kind FROM \(t("posts")) WHERE post = ?"),
            arguments: [post.description]
        ).map { PostFacts(community: $0["community"], author: $0["author"], kind: $0["kind"]) }
    }

    private func join(
        _ db: Database, _ t: TableNames, _ community: CommunityID, _ member: MemberID, _ origin: MembershipOrigin,
        _ at: Int64
    ) throws {
        try db.cachedStatement(sql: "INSERT OR IGNORE INTO \(t("memberships")) VALUES (?, ?, ?, ?, NULL)").run(
            community.description, member.description, origin.rawValue, at)
    }

    private func leave(_ db: Database, _ t: TableNames, _ community: CommunityID, _ member: MemberID, _ at: Int64) throws {
        try db.cachedStatement(
            sql: "UPDATE \(t("memberships")) SET left_at = ? WHERE community = ? AND member = ? AND left_at IS NULL"
        ).run(at, community.description, member.description)
    }

    private func act(_ db: Database, _ t: TableNames, _ community: String, _ member: String, _ kind: String, _ at: Int64)
        throws
    {
        try db.cachedStatement(sql: "INSERT INTO \(t("activity")) (community, member, kind, at) VALUES (?, ?, ?, ?)").run(
            community, member, kind, at)
    }

    /// Records a link with both sides' region and department as they are now; self-links are not links.
    private func link(
        _ db: Database, _ t: TableNames, community: String, kind: String, actor: String, helper: String, helped: String,
        target: String, at: Int64
    ) throws {
        guard helper != helped else { return }
        try db.cachedStatement(
            sql: """
                INSERT INTO \(t("links")) (community, kind, actor, helper, helped, target, at, helper_region,
                    helper_department, helped_region, helped_department)
                SELECT ?, ?, ?, ?, ?, ?, ?, a.region, a.department, b.region, b.department
                FROM \(t("people")) a, \(t("people")) b WHERE a.member = ? AND b.member = ?
                """
        ).run(community, kind, actor, helper, helped, target, at, helper, helped)
    }

    public func dump(_ db: Database, _ t: TableNames, into row: (JSONValue) -> Void) throws {
        try db.dumpRows(
            [
                "SELECT 'people' AS t, * FROM \(t("people")) ORDER BY member",
                "SELECT 'communities' AS t, * FROM \(t("communities")) ORDER BY community",
                "SELECT 'memberships' AS t, * FROM \(t("memberships")) ORDER BY community, member, joined_at",
                "SELECT 'activity' AS t, * FROM \(t("activity")) ORDER BY seq",
                "SELECT 'posts' AS t, * FROM \(t("posts")) ORDER BY post",
                "SELECT 'comments' AS t, * FROM \(t("comments")) ORDER BY comment",
                "SELECT 'links' AS t, * FROM \(t("links")) ORDER BY seq",
                "SELECT 'learning' AS t, * FROM \(t("learning")) ORDER BY event",
                "SELECT 'rsvps' AS t, * FROM \(t("rsvps")) ORDER BY event, member",
                "SELECT 'attendance' AS t, * FROM \(t("attendance")) ORDER BY event, member",
                "SELECT 'mentoring' AS t, * FROM \(t("mentoring")) ORDER BY mentoring",
                "SELECT 'clock' AS t, * FROM \(t("clock"))",
            ], into: row)
    }
}
