import GRDB
public import PraxisDomain
public import PraxisProtocol
public import PraxisStore

extension ReadModelQueries {
    /// `member`'s profile as `reader` may see it: name, title, region, department, leadership level,
    /// guest status and organisation, active or not; for the reader themself also their e-mail
    /// address and whom they follow.
    ///
    /// Internal members see every member (the organisation's directory); a guest sees themself and
    /// the members of the communities they are in. Anyone else, and a member that does not exist,
    /// is `not_found`, with the same message. The profile is folded from the member's stream in
    /// `store`, so a change shows at once.
    public func profile<Store: EventStore>(of member: MemberID, in store: Store, for reader: MemberID) async throws
        -> ReadObject
    {
        let found = try await profiles(of: [member], in: store, for: reader)
        guard let profile = found.items.first else { throw QueryFailure(.notFound, "no member \(member)") }
        return ReadObject(json: profile, position: found.position)
    }

    /// The profiles of `members` that `reader` may see, in the order asked, as ``profile(of:in:for:)``
    /// gives them; `missing` lists the others — not members, or not the reader's to see — alike.
    public func profiles<Store: EventStore>(of members: [MemberID], in store: Store, for reader: MemberID) async throws
        -> (items: [JSONValue], missing: [MemberID], position: LogPosition)
    {
        let (visible, position) = try await readModels.read { db in
            let (roster, position) = try Self.active(db, CommunityRoster())
            let isInternal = try Self.requireActive(db, roster, reader)
            let visible = try members.filter { member in
                try member == reader || isInternal || Self.shareACommunity(db, roster, reader, member)
            }
            return (Set(visible), position)
        }
        var items: [JSONValue] = []
        var missing: [MemberID] = []
        for member in members {
            guard visible.contains(member),
                let state: MemberState = try await Self.fold(
                    member.stream, in: store,
                    { state, event, _ in
                        MemberState.evolve(state, event)
                    })
            else {
                missing.append(member)
                continue
            }
            items.append(Self.profileJSON(state, for: reader))
        }
        return (items, missing, position)
    }

    private static func profileJSON(_ state: MemberState, for reader: MemberID) -> JSONValue {
        var fields: [String: JSONValue] = [
            "member": .string(state.id.description), "display_name": .string(state.displayName),
            "title": .string(state.title), "region": .string(state.region), "department": .string(state.department),
            "leadership": .string(state.leadership.rawValue), "external": .bool(state.isExternal),
            "active": .bool(state.isActive),
        ]
        fields["organization"] = state.organization.map { .string($0) }
        if state.id == reader {
            fields["email"] = .string(state.email)
            fields["following"] = [
                "members": .array(state.followedMembers.sorted().map { .string($0.description) }),
                "communities": .array(state.followedCommunities.sorted().map { .string($0.description) }),
            ]
        }
        return .object(fields)
    }

    private static func shareACommunity(_ db: Database, _ roster: TableNames, _ one: MemberID, _ other: MemberID) throws
        -> Bool
    {
        try Bool.fetchOne(
            db.cachedStatement(
                sql: """
                    SELECT 1 FROM \(roster("members")) mine JOIN \(roster("members")) theirs
                    ON theirs.community = mine.community WHERE mine.member = ? AND theirs.member = ? LIMIT 1
                    """), arguments: [one.description, other.description]) ?? false
    }
}
