import Foundation
import GRDB
import PraxisProtocol

/// The insights projection's rows for one scope, up to the report's end, loaded once; the report
/// is computed from them in memory.
struct InsightsFacts {
    struct Person {
        let member: String
        let displayName: String
        let region: String
        let department: String
        let leadership: String
        let external: Bool
        let registeredAt: Int64
        var isLeader: Bool { leadership == "senior" || leadership == "executive" }
    }

    struct Membership {
        let community: String
        let member: String
        let origin: String
        let joinedAt: Int64
        let leftAt: Int64?
        func isMember(at time: Int64) -> Bool { joinedAt <= time && (leftAt.map { $0 > time } ?? true) }
    }

    struct Activity {
        let community: String
        let member: String
        let kind: String
        let at: Int64
        var isContribution: Bool { kind == "post" || kind == "comment" }
    }

    struct Post {
        let post: String
        let community: String
        let author: String
        let kind: String
        let title: String
        let at: Int64
        let deleted: Bool
        let firstAnswerAt: Int64?
        let acceptedAt: Int64?
        let reactions: Int
        let cites: [String]
    }

    struct Comment {
        let post: String
        let author: String
        let at: Int64
    }

    struct Link {
        let community: String
        let kind: String
        let actor: String
        let helper: String
        let helped: String
        let at: Int64
        let helperRegion: String
        let helperDepartment: String
        let helpedRegion: String
        let helpedDepartment: String
    }

    struct LearningEvent {
        let event: String
        let community: String
        let start: Int64
        let cancelled: Bool
    }

    struct Mentoring {
        /// The community the link was asked in, if any.
        let community: String?
        let mentee: String
        let mentor: String?
        let acceptedAt: Int64?
        let endedAt: Int64?
    }

    var until: Int64 = 0
    var people: [String: Person] = [:]
    var communityKinds: [String: String] = [:]
    var memberships: [Membership] = []
    var activity: [Activity] = []
    var posts: [Post] = []
    var comments: [Comment] = []
    var links: [Link] = []
    var learningEvents: [LearningEvent] = []
    /// RSVPs by event: member → response.
    var rsvps: [String: [String: String]] = [:]
    /// Attendees by event.
    var attendance: [String: Set<String>] = [:]
    var mentoring: [Mentoring] = []
    /// For members assigned to a community in scope: when they contributed (posted or commented)
    /// anywhere as a voluntary or invited member.
    var voluntaryContributions: [String: [Int64]] = [:]

    /// Loads the facts of `community` (or of every community) up to `until` (or the last event).
    static func load(_ db: Database, _ t: TableNames, community: String?, until requested: Int64?) throws -> InsightsFacts {
        var facts = InsightsFacts()
        let last = try Int64.fetchOne(db, sql: "SELECT at FROM \(t("clock"))") ?? 0
        let until = requested ?? last
        facts.until = until
        let scope = community == nil ? "1" : "community = ?"
        let scoped: StatementArguments = community.map { [$0, until] } ?? [until]
        for row in try Row.fetchAll(db, sql: "SELECT * FROM \(t("people")) WHERE registered_at <= ?", arguments: [until]) {
            let person = Person(
                member: row["member"], displayName: row["display_name"], region: row["region"],
                department: row["department"], leadership: row["leadership"], external: row["external"],
                registeredAt: row["registered_at"])
            facts.people[person.member] = person
        }
        for row in try Row.fetchAll(db, sql: "SELECT * FROM \(t("communities"))") {
            facts.communityKinds[row["community"]] = row["kind"]
        }
        facts.memberships = try Row.fetchAll(
            db, sql: "SELECT * FROM \(t("memberships")) WHERE \(scope) AND joined_at <= ? ORDER BY joined_at",
            arguments: scoped
        ).map {
            Membership(
                community: $0["community"], member: $0["member"], origin: $0["origin"], joinedAt: $0["joined_at"],
                leftAt: ($0["left_at"] as Int64?).flatMap { $0 <= until ? $0 : nil })
        }
        facts.activity = try Row.fetchAll(
            db, sql: "SELECT * FROM \(t("activity")) WHERE \(scope) AND at <= ? ORDER BY seq", arguments: scoped
        ).map { Activity(community: $0["community"], member: $0["member"], kind: $0["kind"], at: $0["at"]) }
        facts.posts = try Row.fetchAll(
            db, sql: "SELECT * FROM \(t("posts")) WHERE \(scope) AND at <= ? ORDER BY at, post", arguments: scoped
        ).map { row in
            let cites = (try? JSONParser.parse(Array((row["cites"] as String).utf8)))?.arrayValue ?? []
            return Post(
                post: row["post"], community: row["community"], author: row["author"], kind: row["kind"],
                title: row["title"], at: row["at"], deleted: row["deleted"],
                firstAnswerAt: (row["first_answer_at"] as Int64?).flatMap { $0 <= until ? $0 : nil },
                acceptedAt: (row["accepted_at"] as Int64?).flatMap { $0 <= until ? $0 : nil },
                reactions: row["reactions"], cites: cites.compactMap(\.stringValue))
        }
        facts.comments = try Row.fetchAll(
            db,
            sql: """
                SELECT c.post, c.author, c.at FROM \(t("comments")) c JOIN \(t("posts")) p ON p.post = c.post
                WHERE \(community == nil ? "1" : "p.community = ?") AND c.at <= ? ORDER BY c.at
                """, arguments: scoped
        ).map { Comment(post: $0["post"], author: $0["author"], at: $0["at"]) }
        facts.links = try Row.fetchAll(
            db, sql: "SELECT * FROM \(t("links")) WHERE \(scope) AND at <= ? ORDER BY seq", arguments: scoped
        ).map {
            Link(
                community: $0["community"], kind: $0["kind"], actor: $0["actor"], helper: $0["helper"],
                helped: $0["helped"], at: $0["at"], helperRegion: $0["helper_region"],
                helperDepartment: $0["helper_department"], helpedRegion: $0["helped_region"],
                helpedDepartment: $0["helped_department"])
        }
        facts.learningEvents = try Row.fetchAll(
            db, sql: "SELECT * FROM \(t("learning")) WHERE \(scope) AND start <= ? ORDER BY start", arguments: scoped
        ).map { LearningEvent(event: $0["event"], community: $0["community"], start: $0["start"], cancelled: $0["cancelled"]) }
        // RSVPs and attendance of this scope's events only.
        let events = "SELECT event FROM \(t("learning")) WHERE \(scope) AND start <= ?"
        for row in try Row.fetchAll(
            db, sql: "SELECT * FROM \(t("rsvps")) WHERE event IN (\(events))", arguments: scoped)
        {
            facts.rsvps[row["event"], default: [:]][row["member"]] = row["response"]
        }
        for row in try Row.fetchAll(
            db, sql: "SELECT * FROM \(t("attendance")) WHERE event IN (\(events))", arguments: scoped)
        {
            facts.attendance[row["event"], default: []].insert(row["member"])
        }
        // Every link: a newcomer counts as mentored whichever community the link was asked in.
        facts.mentoring = try Row.fetchAll(db, sql: "SELECT * FROM \(t("mentoring")) ORDER BY mentoring").map {
            Mentoring(
                community: $0["community"], mentee: $0["mentee"], mentor: $0["mentor"],
                acceptedAt: ($0["accepted_at"] as Int64?).flatMap { $0 <= until ? $0 : nil },
                endedAt: ($0["ended_at"] as Int64?).flatMap { $0 <= until ? $0 : nil })
        }
        let assignedScope = community == nil ? "" : "AND community = ?"
        for row in try Row.fetchAll(
            db,
            sql: """
                SELECT a.member, a.at FROM \(t("activity")) a JOIN \(t("memberships")) m
                    ON m.community = a.community AND m.member = a.member AND m.origin != 'assigned'
                    AND m.joined_at <= a.at AND (m.left_at IS NULL OR m.left_at > a.at)
                WHERE a.kind IN ('post', 'comment') AND a.at <= ? AND a.member IN
                    (SELECT member FROM \(t("memberships")) WHERE origin = 'assigned' \(assignedScope))
                ORDER BY a.seq
                """, arguments: community.map { [until, $0] } ?? [until])
        {
            facts.voluntaryContributions[row["member"], default: []].append(row["at"])
        }
        return facts
    }
}
