import Foundation
import GRDB
public import PraxisDomain
import PraxisProtocol
import PraxisStore

/// The reads members make, authorised at read time.
public struct ReadModelQueries: Sendable {
    let readModels: ReadModelStore

    public init(readModels: ReadModelStore) { self.readModels = readModels }

    /// A community's members (by member id), with pending requests and invitations for its owners
    /// and moderators.
    public func roster(of community: CommunityID, for reader: MemberID, cursor: String?, limit: Int) async throws -> Page {
        try await readModels.read { db in
            let (roster, position) = try Self.active(db, CommunityRoster())
            let access = try ReadAccess.check(db, roster, reader: reader, community: community, content: false)
            let after = try cursor.map { try Cursor.decode($0).text } ?? ""
            let rows = try db.jsonRows(
                """
                SELECT m.member, p.display_name, m.role, m.origin, m.joined_at, m.last_active_at
                FROM \(roster("members")) m JOIN \(roster("people")) p ON p.member = m.member
                WHERE m.community = ? AND m.member > ? ORDER BY m.member LIMIT ?
                """, [community.description, after, limit + 1])
            let items = Array(rows.prefix(limit))
            var page = Page(
                items: items,
                nextCursor: rows.count > limit ? items.last?["member"]?.stringValue.map { Cursor(text: $0).encoded } : nil,
                position: position)
            if access.moderates {
                page.setExtra(
                    "pending",
                    .array(
                        try db.jsonRows(
                            "SELECT member, kind, message, at FROM \(roster("pending")) WHERE community = ? ORDER BY at, member",
                            [community.description])))
            }
            return page
        }
    }

    /// A community's posts, newest first; `kind` filters by post kind, `unanswered` keeps
    /// questions nobody has answered yet.
    public func feed(
        of community: CommunityID, for reader: MemberID, kind: PostKind?, unanswered: Bool, cursor: String?, limit: Int
    ) async throws -> Page {
        try await readModels.read { db in
            let (roster, rosterPosition) = try Self.active(db, CommunityRoster())
            let (feed, feedPosition) = try Self.active(db, CommunityFeed())
            _ = try ReadAccess.check(db, roster, reader: reader, community: community, content: true)
            var conditions = ["community = ?"]
            var arguments: [any DatabaseValueConvertible] = [community.description]
            if let kind {
                conditions.append("kind = ?")
                arguments.append(kind.rawValue)
            }
            if unanswered { conditions.append("kind = 'question' AND answers = 0") }
            if let cursor {
                conditions.append("position < ?")
                arguments.append(try Cursor.decode(cursor).number)
            }
            arguments.append(limit + 1)
            let rows = try Row.fetchAll(
                db.cachedStatement(
                    sql: """
                        SELECT * FROM \(feed("posts")) WHERE \(conditions.joined(separator: " AND "))
                        ORDER BY position DESC LIMIT ?
                        """), arguments: StatementArguments(arguments))
            let items = rows.prefix(limit).map(Self.post)
            let next = rows.count > limit ? rows[limit - 1]["position"] as Int64 : nil
            return Page(
                items: items, nextCursor: next.map { Cursor(number: $0).encoded }, position: min(rosterPosition, feedPosition))
        }
    }

    static func post(_ row: Row) -> JSONValue {
        var item: [String: JSONValue] = [:]
        for column in ["post", "author", "kind", "title", "excerpt", "created_at"] { item[column] = .string(row[column]) }
        for column in ["link", "learning_event", "edited_at", "accepted_comment", "first_answer_at", "pinned_until"] {
            if let text: String = row[column] { item[column] = .string(text) }
        }
        item["comments"] = .number(Double(row["comments"] as Int64))
        item["answers"] = .number(Double(row["answers"] as Int64))
        item["pinned"] = .bool(row["pinned"])
        item["position"] = .number(Double(row["position"] as Int64))
        if let answered: String = row["first_answer_at"], let created = Timestamp(rfc3339: row["created_at"]),
            let first = Timestamp(rfc3339: answered)
        {
            item["seconds_to_first_answer"] = .number(
                Double((first.millisecondsSinceEpoch - created.millisecondsSinceEpoch) / 1000))
        }
        return .object(item)
    }

    /// The active generation's tables and checkpoint; `rebuilding` while the stored version lags the code's.
    static func active(_ db: Database, _ projection: some Projection) throws -> (TableNames, LogPosition) {
        guard let entry = try RegistryEntry.load(db, projection.name), entry.version == projection.version else {
            throw QueryFailure(.rebuilding, "\(projection.name) is being rebuilt; retry shortly")
        }
        return (TableNames(projection: projection.name, generation: entry.generation), entry.checkpoint)
    }
}

/// An opaque page cursor: base64url of a small JSON object.
struct Cursor {
    var number: Int64 = 0
    var text = ""

    init(number: Int64) { self.number = number }
    init(text: String) { self.text = text }
    init(number: Int64, text: String) {
        self.number = number
        self.text = text
    }

    var encoded: String { Base64URL.encode(CanonicalJSON.encode(["n": .number(Double(number)), "t": .string(text)])) }

    static func decode(_ cursor: String) throws -> Cursor {
        guard cursor.count <= 512, let bytes = Base64URL.decode(cursor), let value = try? JSONParser.parse(bytes),
            let number = value["n"]?.integerValue, let text = value["t"]?.stringValue
        else { throw QueryFailure(.invalidCursor, "the cursor was not issued by this server") }
        return Cursor(number: number, text: text)
    }
}
