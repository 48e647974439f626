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

    static func linkQuery(_ links: TableNames, _ condition: String) -> String {
        "SELECT * FROM \(links("links")) WHERE \(condition) ORDER BY mentoring"
    }

    /// Leaves out the columns that are empty.
    static func tidy(_ row: JSONValue) -> JSONValue {
        .object((row.objectValue ?? [:]).filter { $0.value != .null })
    }
}
