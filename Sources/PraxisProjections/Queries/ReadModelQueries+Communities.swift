import GRDB
public import PraxisDomain
public import PraxisProtocol
public import PraxisStore

extension ReadModelQueries {
    /// The communities `reader` may see, oldest first: internal members see every open and closed
    /// community and the secret ones they are in or invited to; a guest sees the external
    /// communities they are in or invited to. `kind` keeps one kind; `mine` only those the reader
    /// is a member of; `named` those whose name contains it (ignoring the case of ASCII letters).
    /// Each with its size and the reader's role or pending request or invitation.
    public func communities(
        for reader: MemberID, kind: CommunityKind?, mine: Bool, named: String? = nil, cursor: String?, limit: Int
    ) async throws -> Page {
        try await readModels.read { db in
            let (roster, position) = try Self.active(db, CommunityRoster())
            let isInternal = try Self.requireActive(db, roster, reader)
            let after = try cursor.map { try Cursor.decode($0).text } ?? ""
            var conditions = ["c.community > :after"]
            let involved = "(role IS NOT NULL OR invited)"
            conditions.append(isInternal ? "(c.visibility != 'secret' OR \(involved))" : "(c.kind = 'external' AND \(involved))")
            if kind != nil { conditions.append("c.kind = :kind") }
            if mine { conditions.append("role IS NOT NULL") }
            if named != nil { conditions.append("instr(lower(c.name), lower(:named)) > 0") }
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT * FROM (
                        SELECT c.community, c.name, c.kind, c.visibility, c.archived,
                            (SELECT COUNT(*) FROM \(roster("members")) m WHERE m.community = c.community) AS size,
                            (SELECT role FROM \(roster("members")) m WHERE m.community = c.community AND m.member = :me) AS role,
                            EXISTS (SELECT 1 FROM \(roster("pending")) p WHERE p.community = c.community AND p.member = :me
                                AND p.kind = 'invitation') AS invited,
                            EXISTS (SELECT 1 FROM \(roster("pending")) p WHERE p.community = c.community AND p.member = :me
                                AND p.kind = 'request') AS requested
                        FROM \(roster("communities")) c
                    ) c
                    WHERE \(conditions.joined(separator: " AND ")) ORDER BY c.community LIMIT :limit
                    """,
                arguments: [
                    "me": reader.description, "after": after, "kind": kind?.rawValue, "named": named, "limit": limit + 1,
                ])
            let items = rows.prefix(limit).map(Self.communityItem)
            let next = rows.count > limit ? rows[limit - 1]["community"] as String : nil
            return Page(items: items, nextCursor: next.map { Cursor(text: $0).encoded }, position: position)
        }
    }

    static func communityItem(_ row: Row) -> JSONValue {
        var item: [String: JSONValue] = [
            "community": .string(row["community"]), "name": .string(row["name"]), "kind": .string(row["kind"]),
            "visibility": .string(row["visibility"]), "archived": .bool(row["archived"]),
            "members": .number(Double(row["size"] as Int64)), "invited": .bool(row["invited"]),
            "requested": .bool(row["requested"]),
        ]
        if let role: String = row["role"] { item["role"] = .string(role) }
        return .object(item)
    }

    /// One community as `reader` may see it: its name, description, kind, visibility, tags, size,
    /// owners and the reader's role, read from its stream (so an edit shows at once); `not_found`
    /// for a community the reader may not know of, as for its feed.
    public func community<Store: EventStore>(_ community: CommunityID, in store: Store, for reader: MemberID)
        async throws -> ReadObject
    {
        let position = try await readModels.read { db in
            let (roster, position) = try Self.active(db, CommunityRoster())
            _ = try ReadAccess.check(db, roster, reader: reader, community: community, content: false)
            return position
        }
        let folded: CommunityState? = try await Self.fold(community.stream, in: store) { state, event, _ in
            CommunityState.evolve(state, event)
        }
        guard let state = folded else { throw QueryFailure(.notFound, "no community \(community)") }
        var fields: [String: JSONValue] = [
            "community": .string(community.description), "name": .string(state.name),
            "description": .string(state.description), "kind": .string(state.kind.rawValue),
            "visibility": .string(state.visibility.rawValue), "tags": .array(state.tags.map { .string($0) }),
            "archived": .bool(state.isArchived), "members": .number(Double(state.members.count)),
            "owners": .array(state.owners.sorted().map { .string($0.description) }),
            "invited": .bool(state.invitations[reader] != nil), "requested": .bool(state.requests[reader] != nil),
        ]
        fields["role"] = state.members[reader].map { .string($0.role.rawValue) }
        return ReadObject(json: .object(fields), position: position)
    }
}
