import GRDB
public import PraxisDomain
import PraxisProtocol
import PraxisStore

extension ReadModelQueries {
    /// The reader's notifications, newest first, each marked read or unread; notifications about
    /// communities the reader may no longer read are left out.
    public func notifications(for reader: MemberID, unreadOnly: Bool, cursor: String?, limit: Int) async throws -> Page {
        try await readModels.read { db in
            let (roster, rosterPosition) = try Self.active(db, CommunityRoster())
            let (notes, notesPosition) = try Self.active(db, Notifications())
            let isInternal = try Self.requireActive(db, roster, reader)
            let readUpTo =
                try Int64.fetchOne(
                    db.cachedStatement(sql: "SELECT up_to FROM \(notes("read_marks")) WHERE member = ?"),
                    arguments: [reader.description]) ?? 0
            let after = try cursor.map { try Cursor.decode($0) }
            let rows = try Row.fetchAll(
                db.cachedStatement(
                    sql: """
                        SELECT * FROM \(notes("items")) n
                        WHERE n.member = :me AND (n.position, n.seq) < (:position, :seq) AND (:all OR n.position > :read)
                        AND (n.community IS NULL OR \(Self.readable("n.community", roster)))
                        ORDER BY n.position DESC, n.seq DESC LIMIT :count
                        """),
                arguments: [
                    "me": reader.description, "position": after?.number ?? Int64.max,
                    "seq": Int64(after?.text ?? "") ?? Int64.max,
                    "all": !unreadOnly, "read": readUpTo, "internal": isInternal, "count": limit + 1,
                ])
            let items = rows.prefix(limit).map { row -> JSONValue in
                var item: [String: JSONValue] = [
                    "kind": .string(row["kind"]), "subject": .string(row["subject"]), "at": .string(row["at"]),
                    "position": .number(Double(row["position"] as Int64)), "read": .bool((row["position"] as Int64) <= readUpTo),
                ]
                for column in ["actor", "community", "comment"] {
                    if let text: String = row[column] { item[column] = .string(text) }
                }
                return .object(item)
            }
            var next: String?
            if rows.count > limit {
                var cursor = Cursor(number: rows[limit - 1]["position"])
                cursor.text = String(rows[limit - 1]["seq"] as Int64)
                next = cursor.encoded
            }
            return Page(items: items, nextCursor: next, position: min(rosterPosition, notesPosition))
        }
    }

    /// Posts and comments matching every word of `text`, best first, with a snippet, from the
    /// communities the reader may read. Pages follow the ranking, so writes between pages may
    /// shift them.
    public func search(_ text: String, for reader: MemberID, cursor: String?, limit: Int) async throws -> Page {
        let words = Self.words(text)
        guard !words.isEmpty else { throw QueryFailure(.invalidQuery, "the query needs at least one word") }
        let match = words.map { "\"\($0)\"" }.joined(separator: " ")
        return try await readModels.read { db in
            let (roster, rosterPosition) = try Self.active(db, CommunityRoster())
            let (search, searchPosition) = try Self.active(db, Search())
            let isInternal = try Self.requireActive(db, roster, reader)
            let offset = try cursor.map { try Cursor.decode($0).number } ?? 0
            let table = search("documents")
            let rows = try Row.fetchAll(
                db.cachedStatement(
                    sql: """
                        SELECT d.post, d.comment, d.community, d.author, d.position,
                            (SELECT title FROM \(search("posts")) p WHERE p.post = d.post) AS title,
                            snippet(\(table), 1, '[', ']', '…', 16) AS snippet, bm25(\(table)) AS rank
                        FROM \(table) d WHERE \(table) MATCH :match AND \(Self.readable("d.community", roster))
                        ORDER BY rank, d.position DESC LIMIT :count OFFSET :offset
                        """),
                arguments: [
                    "match": match, "me": reader.description, "internal": isInternal, "count": limit + 1, "offset": offset,
                ])
            let items = rows.prefix(limit).map { row -> JSONValue in
                var item: [String: JSONValue] = [
                    "post": .string(row["post"]), "community": .string(row["community"]), "author": .string(row["author"]),
                    "title": .string(row["title"]), "snippet": .string(row["snippet"]),
                    "position": .number(Double(row["position"] as Int64)),
                ]
                if let comment: String = row["comment"], !comment.isEmpty { item["comment"] = .string(comment) }
                return .object(item)
            }
            let next = rows.count > limit ? Cursor(number: offset + Int64(limit)).encoded : nil
            return Page(items: items, nextCursor: next, position: min(rosterPosition, searchPosition))
        }
    }

    /// The words of a query: runs of letters and digits, at most 10, each at most 50 characters.
    /// Nothing else reaches FTS5, so no input can be a syntax error or an operator.
    static func words(_ text: String) -> [String] {
        text.split { !($0.isLetter || $0.isNumber) }.prefix(10).map { String($0.prefix(50)).lowercased() }
    }

    /// SQL that holds when `column` (qualified with its table's alias) names a community the reader
    /// (`:me`, `:internal`) may read. Open communities are looked up one by one: a list of them all
    /// would be built for every statement (314 on the million-event demo log).
    static func readable(_ column: String, _ roster: TableNames) -> String {
        """
        (\(column) IN (SELECT community FROM \(roster("members")) WHERE member = :me)
         OR (:internal AND EXISTS (SELECT 1 FROM \(roster("communities")) open_community
            WHERE open_community.community = \(column) AND open_community.visibility = 'open')))
        """
    }

    /// Refuses deactivated or unknown readers; returns whether the reader is internal (not a guest).
    static func requireActive(_ db: Database, _ roster: TableNames, _ reader: MemberID) throws -> Bool {
        guard
            let person = try Row.fetchOne(
                db.cachedStatement(sql: "SELECT external, active FROM \(roster("people")) WHERE member = ?"),
                arguments: [reader.description])
        else { throw QueryFailure(.notFound, "no member \(reader)") }
        guard person["active"] as Bool else { throw QueryFailure(.memberDeactivated, "your account is deactivated") }
        return !(person["external"] as Bool)
    }
}
