public import GRDB
import PraxisDomain
public import PraxisProtocol
import PraxisStore

/// Mentoring offers and links: who mentors whom, requested, active or ended, with sessions,
/// minutes and goals counted, and each mentor's capacity left.
public struct MentoringLinks: Projection {
    public let name = "mentoring_links"
    public let version = 1

    public init() {}

    public func create(_ db: Database, _ t: TableNames) throws {
        try db.execute(
            sql: """
                CREATE TABLE \(t("links")) (mentoring TEXT PRIMARY KEY, mentee TEXT NOT NULL, mentor TEXT, community TEXT,
                    status TEXT NOT NULL, sessions INTEGER NOT NULL, minutes INTEGER NOT NULL, goals INTEGER NOT NULL,
                    requested_at TEXT NOT NULL, started_at TEXT, ended_at TEXT, outcome TEXT) STRICT;
                CREATE INDEX \(t("links_by_mentee")) ON \(t("links")) (mentee);
                CREATE INDEX \(t("links_by_mentor")) ON \(t("links")) (mentor);
                CREATE INDEX \(t("links_by_community")) ON \(t("links")) (community);
                CREATE TABLE \(t("offers")) (mentor TEXT PRIMARY KEY, capacity INTEGER NOT NULL, offering INTEGER NOT NULL,
                    topics TEXT NOT NULL) STRICT;
                """)
    }

    public func apply(_ e: ProjectedEvent, _ db: Database, _ t: TableNames) throws {
        // Written out only for the events that store it: most events a read model sees do not.
        var at: String { e.serverTime.rfc3339 }
        switch e.event {
        case let event as MentoringOffered:
            try db.cachedStatement(sql: "INSERT OR REPLACE INTO \(t("offers")) VALUES (?, ?, 1, ?)").run(
                event.mentor.description, event.capacity, event.topics.joined(separator: ","))
        case let event as MentoringOfferWithdrawn:
            try db.cachedStatement(sql: "UPDATE \(t("offers")) SET offering = 0 WHERE mentor = ?").run(event.mentor.description)
        case let event as MentoringRequested:
            try db.cachedStatement(
                sql: "INSERT INTO \(t("links")) VALUES (?, ?, ?, ?, 'requested', 0, 0, 0, ?, NULL, NULL, NULL)"
            ).run(
                event.mentoring.description, event.mentee.description, event.mentor?.description,
                event.community?.description, at)
        case let event as MentoringAccepted:
            try update(db, t, event.mentoring, "mentor = ?, status = 'active', started_at = ?", [event.mentor.description, at])
        case let event as MentoringDeclined:
            try update(db, t, event.mentoring, "mentor = ?, status = 'declined', ended_at = ?", [event.mentor.description, at])
        case let event as MentoringSessionLogged:
            try update(db, t, event.mentoring, "sessions = sessions + 1, minutes = minutes + ?", [event.durationMinutes])
        case let event as MentoringGoalSet:
            try update(db, t, event.mentoring, "goals = goals + 1", [])
        case let event as MentoringEnded:
            try update(db, t, event.mentoring, "status = 'ended', ended_at = ?, outcome = ?", [at, event.outcome.rawValue])
        default: break
        }
    }

    private func update(
        _ db: Database, _ t: TableNames, _ id: MentoringID, _ assignments: String, _ values: [any DatabaseValueConvertible]
    )
        throws
    {
        try db.cachedStatement(sql: "UPDATE \(t("links")) SET \(assignments) WHERE mentoring = ?").execute(
            arguments: StatementArguments(values + [id.description]))
    }

    public func dump(_ db: Database, _ t: TableNames, into row: (JSONValue) -> Void) throws {
        try db.dumpRows(
            [
                "SELECT 'links' AS t, * FROM \(t("links")) ORDER BY mentoring",
                "SELECT 'offers' AS t, * FROM \(t("offers")) ORDER BY mentor",
            ], into: row)
    }
}
