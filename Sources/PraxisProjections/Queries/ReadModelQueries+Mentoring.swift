import GRDB
public import PraxisDomain
import PraxisProtocol
import PraxisStore

extension ReadModelQueries {
    /// The reader's mentoring: their offer with the capacity left, the links they mentor and the
    /// links in which they are mentored.
    public func mentoring(of reader: MemberID) async throws -> Page {
        try await readModels.read { db in
            let (roster, rosterPosition) = try Self.active(db, CommunityRoster())
            let (links, linksPosition) = try Self.active(db, MentoringLinks())
            _ = try Self.requireActive(db, roster, reader)
            let me = reader.description
            var page = Page(
                items: [], nextCursor: nil, position: min(rosterPosition, linksPosition))
            page.setExtra("as_mentor", .array(try db.jsonRows(Self.linkQuery(links, "mentor = ?"), [me]).map(Self.tidy)))
            page.setExtra("as_mentee", .array(try db.jsonRows(Self.linkQuery(links, "mentee = ?"), [me]).map(Self.tidy)))
            if let offer = try Row.fetchOne(
                db.cachedStatement(sql: "SELECT * FROM \(links("offers")) WHERE mentor = ?"), arguments: [me])
            {
                let active =
                    try Int.fetchOne(
                        db.cachedStatement(sql: "SELECT COUNT(*) FROM \(links("links")) WHERE mentor = ? AND status = 'active'"),
                        arguments: [me])
                    ?? 0
                let capacity: Int = offer["capacity"]
                let topics: String = offer["topics"]
                page.setExtra(
                    "offer",
                    [
                        "offering": .bool(offer["offering"]), "capacity": .number(Double(capacity)),
                        "capacity_left": .number(Double(max(0, capacity - active))),
                        "topics": .array(topics.split(separator: ",").map { .string(String($0)) }),
                    ])
            }
            return page
        }
    }

    /// The mentoring links asked for within a community, for those who may read its content.
    public func mentoring(in community: CommunityID, for reader: MemberID, cursor: String?, limit: Int) async throws -> Page {
        try await readModels.read { db in
            let (roster, rosterPosition) = try Self.active(db, CommunityRoster())
            let (links, linksPosition) = try Self.active(db, MentoringLinks())
            _ = try ReadAccess.check(db, roster, reader: reader, community: community, content: true)
            let after = try cursor.map { try Cursor.decode($0).text } ?? ""
            let rows = try db.jsonRows(
                Self.linkQuery(links, "community = ? AND mentoring > ?") + " LIMIT ?", [community.description, after, limit + 1])
            let items = rows.prefix(limit).map(Self.tidy)
            let next = rows.count > limit ? items.last?["mentoring"]?.stringValue.map { Cursor(text: $0).encoded } : nil
            return Page(items: items, nextCursor: next, position: min(rosterPosition, linksPosition))
        }
    }

    /// The members offering mentoring now, other than the reader, by id: name, region,
    /// department, leadership level, topics and the capacity left (0 when full, so a newcomer sees
    /// them too); `topic` keeps those who list it (in any case). For the organisation's own
    /// members: guests are `guest_not_allowed`.
    public func mentoringOffers(for reader: MemberID, topic: String?, cursor: String?, limit: Int) async throws -> Page {
        try await readModels.read { db in
            let (roster, rosterPosition) = try Self.active(db, CommunityRoster())
            let (links, linksPosition) = try Self.active(db, MentoringLinks())
            guard try Self.requireActive(db, roster, reader) else {
                throw QueryFailure(.guestNotAllowed, "mentoring offers are for the organisation's own members")
            }
            let after = try cursor.map { try Cursor.decode($0).text } ?? ""
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT o.mentor, o.capacity, o.topics, p.display_name, p.region, p.department, p.leadership,
                        (SELECT COUNT(*) FROM \(links("links")) l WHERE l.mentor = o.mentor AND l.status = 'active') AS taken
                    FROM \(links("offers")) o JOIN \(roster("people")) p ON p.member = o.mentor
                    WHERE o.offering = 1 AND p.active = 1 AND o.mentor > :after AND o.mentor != :me
                        AND (:topic IS NULL OR instr(',' || lower(o.topics) || ',', ',' || lower(:topic) || ',') > 0)
                    ORDER BY o.mentor LIMIT :limit
                    """,
                arguments: ["after": after, "me": reader.description, "topic": topic, "limit": limit + 1])
            let items: [JSONValue] = rows.prefix(limit).map { row in
                let capacity: Int64 = row["capacity"]
                let topics: String = row["topics"]
                return [
                    "mentor": .string(row["mentor"]), "display_name": .string(row["display_name"]),
                    "region": .string(row["region"]), "department": .string(row["department"]),
                    "leadership": .string(row["leadership"]), "capacity": .number(Double(capacity)),
                    "capacity_left": .number(Double(max(0, capacity - (row["taken"] as Int64)))),
                    "topics": .array(topics.split(separator: ",").map { .string(String($0)) }),
                ]
            }
            let next = rows.count > limit ? rows[limit - 1]["mentor"] as String : nil
            return Page(
                items: items, nextCursor: next.map { Cursor(text: $0).encoded }, position: min(rosterPosition, linksPosition))
        }
    }

    static func linkQuery(_ links: TableNames, _ condition: String) -> String {
        "SELECT * FROM \(links("links")) WHERE \(condition) ORDER BY mentoring"
    }

    /// Leaves out the columns that are empty.
    static func tidy(_ row: JSONValue) -> JSONValue {
        .object((row.objectValue ?? [:]).filter { $0.value != .null })
    }
}
