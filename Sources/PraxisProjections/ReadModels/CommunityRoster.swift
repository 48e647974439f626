public import GRDB
import PraxisDomain
public import PraxisProtocol
import PraxisStore

/// Who is in which community, with role, origin, when they joined and when they were last active;
/// pending requests and invitations; and the facts about people and communities that reads need to
/// decide who may see what (guest or not, active or not, visibility).
public struct CommunityRoster: Projection {
    public let name = "community_roster"
    public let version = 1

    public init() {}

    public func create(_ db: Database, _ t: TableNames) throws {
        try db.execute(
            sql: """
                CREATE TABLE \(t("people")) (member TEXT PRIMARY KEY, display_name TEXT NOT NULL, region TEXT NOT NULL,
                    department TEXT NOT NULL, leadership TEXT NOT NULL, external INTEGER NOT NULL, active INTEGER NOT NULL) STRICT;
                CREATE TABLE \(t("communities")) (community TEXT PRIMARY KEY, name TEXT NOT NULL, kind TEXT NOT NULL,
                    visibility TEXT NOT NULL, archived INTEGER NOT NULL) STRICT;
                CREATE TABLE \(t("members")) (community TEXT NOT NULL, member TEXT NOT NULL, role TEXT NOT NULL,
                    origin TEXT NOT NULL, joined_at TEXT NOT NULL, last_active_at TEXT NOT NULL,
                    PRIMARY KEY (community, member)) STRICT;
                CREATE INDEX \(t("members_by_member")) ON \(t("members")) (member);
                CREATE TABLE \(t("pending")) (community TEXT NOT NULL, member TEXT NOT NULL, kind TEXT NOT NULL,
                    message TEXT NOT NULL, at TEXT NOT NULL, PRIMARY KEY (community, member, kind)) STRICT;
                CREATE TABLE \(t("post_communities")) (post TEXT PRIMARY KEY, community TEXT NOT NULL) STRICT;
                """)
    }

    public func apply(_ e: ProjectedEvent, _ db: Database, _ t: TableNames) throws {
        // Written out only for the events that store it: most events a read model sees do not.
        var at: String { e.serverTime.rfc3339 }
        switch e.event {
        case let event as MemberRegistered:
            try db.cachedStatement(sql: "INSERT INTO \(t("people")) VALUES (?, ?, ?, ?, ?, ?, 1)").run(
                event.member.description, event.displayName, event.region, event.department, event.leadership.rawValue,
                event.external)
        case let event as MemberProfileUpdated:
            try db.cachedStatement(sql: "UPDATE \(t("people")) SET display_name = ?, leadership = ? WHERE member = ?").run(
                event.displayName, event.leadership.rawValue, event.member.description)
        case let event as MemberMoved:
            try db.cachedStatement(sql: "UPDATE \(t("people")) SET region = ?, department = ? WHERE member = ?").run(
                event.region, event.department, event.member.description)
        case let event as MemberDeactivated:
            try db.cachedStatement(sql: "UPDATE \(t("people")) SET active = 0 WHERE member = ?").run(event.member.description)
        case let event as MemberReactivated:
            try db.cachedStatement(sql: "UPDATE \(t("people")) SET active = 1 WHERE member = ?").run(event.member.description)
        case let event as CommunityCreated:
            try db.cachedStatement(sql: "INSERT INTO \(t("communities")) VALUES (?, ?, ?, ?, 0)").run(
                event.community.description, event.name, event.kind.rawValue, event.visibility.rawValue)
            try admit(db, t, event.community, event.creator, .owner, .voluntary, at)
        case let event as CommunityUpdated:
            try db.cachedStatement(sql: "UPDATE \(t("communities")) SET name = ?, visibility = ? WHERE community = ?").run(
                event.name, event.visibility.rawValue, event.community.description)
        case let event as CommunityArchived:
            try db.cachedStatement(sql: "UPDATE \(t("communities")) SET archived = 1 WHERE community = ?").run(
                event.community.description)
        case let event as CommunityUnarchived:
            try db.cachedStatement(sql: "UPDATE \(t("communities")) SET archived = 0 WHERE community = ?").run(
                event.community.description)
        case let event as MemberJoined: try admit(db, t, event.community, event.member, event.role, .voluntary, at)
        case let event as MembershipApproved: try admit(db, t, event.community, event.member, event.role, .voluntary, at)
        case let event as InvitationAccepted: try admit(db, t, event.community, event.member, event.role, .invited, at)
        case let event as MemberAssigned: try admit(db, t, event.community, event.member, event.role, .assigned, at)
        case let event as MembershipRequested:
            try db.cachedStatement(sql: "INSERT OR REPLACE INTO \(t("pending")) VALUES (?, ?, 'request', ?, ?)").run(
                event.community.description, event.member.description, event.message, at)
        case let event as MemberInvited:
            try db.cachedStatement(sql: "INSERT OR REPLACE INTO \(t("pending")) VALUES (?, ?, 'invitation', ?, ?)").run(
                event.community.description, event.member.description, event.message, at)
        case let event as MembershipDeclined: try clearPending(db, t, event.community, event.member, "request")
        case let event as InvitationDeclined: try clearPending(db, t, event.community, event.member, "invitation")
        case let event as MemberLeft: try remove(db, t, event.community, event.member)
        case let event as MemberRemoved: try remove(db, t, event.community, event.member)
        case let event as MemberRoleChanged:
            try db.cachedStatement(sql: "UPDATE \(t("members")) SET role = ? WHERE community = ? AND member = ?").run(
                event.role.rawValue, event.community.description, event.member.description)
        case let event as PostCreated:
            try db.cachedStatement(sql: "INSERT INTO \(t("post_communities")) VALUES (?, ?)").run(
                event.post.description, event.community.description)
            try touch(db, t, community: event.community.description, member: event.author, at)
        case let event as CommentAdded: try touch(db, t, post: event.post, member: event.author, at)
        case let event as ReactionAdded: try touch(db, t, post: event.post, member: event.member, at)
        default: break
        }
    }

    public func dump(_ db: Database, _ t: TableNames, into row: (JSONValue) -> Void) throws {
        try db.dumpRows(
            [
                "SELECT 'people' AS t, * FROM \(t("people")) ORDER BY member",
                "SELECT 'communities' AS t, * FROM \(t("communities")) ORDER BY community",
                "SELECT 'members' AS t, * FROM \(t("members")) ORDER BY community, member",
                "SELECT 'pending' AS t, * FROM \(t("pending")) ORDER BY community, member, kind",
                "SELECT 'post_communities' AS t, * FROM \(t("post_communities")) ORDER BY post",
            ], into: row)
    }

    private func admit(
        _ db: Database, _ t: TableNames, _ community: CommunityID, _ member: MemberID, _ role: CommunityRole,
        _ origin: MembershipOrigin, _ at: String
    ) throws {
        try db.cachedStatement(sql: "INSERT OR REPLACE INTO \(t("members")) VALUES (?, ?, ?, ?, ?, ?)").run(
            community.description, member.description, role.rawValue, origin.rawValue, at, at)
        try db.cachedStatement(sql: "DELETE FROM \(t("pending")) WHERE community = ? AND member = ?").run(
            community.description, member.description)
    }

    private func clearPending(_ db: Database, _ t: TableNames, _ community: CommunityID, _ member: MemberID, _ kind: String)
        throws
    {
        try db.cachedStatement(sql: "DELETE FROM \(t("pending")) WHERE community = ? AND member = ? AND kind = ?").run(
            community.description, member.description, kind)
    }

    private func remove(_ db: Database, _ t: TableNames, _ community: CommunityID, _ member: MemberID) throws {
        try db.cachedStatement(sql: "DELETE FROM \(t("members")) WHERE community = ? AND member = ?").run(
            community.description, member.description)
    }

    private func touch(_ db: Database, _ t: TableNames, community: String, member: MemberID, _ at: String) throws {
        try db.cachedStatement(sql: "UPDATE \(t("members")) SET last_active_at = ? WHERE community = ? AND member = ?").run(
            at, community, member.description)
    }

    private func touch(_ db: Database, _ t: TableNames, post: PostID, member: MemberID, _ at: String) throws {
        guard
            let community = try String.fetchOne(
                db.cachedStatement(sql: "SELECT community FROM \(t("post_communities")) WHERE post = ?"),
                arguments: [post.description])
        else { return }
        try touch(db, t, community: community, member: member, at)
    }
}
