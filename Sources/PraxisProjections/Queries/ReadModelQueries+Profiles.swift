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
        let notFound = QueryFailure(.notFound, "no member \(member)")
        let position = try await readModels.read { db in
            let (roster, position) = try Self.active(db, CommunityRoster())
            let isInternal = try Self.requireActive(db, roster, reader)
            let visible = try member == reader || isInternal || Self.shareACommunity(db, roster, reader, member)
            guard visible else { throw notFound }
            return position
        }
        let folded: MemberState? = try await Self.fold(member.stream, in: store) { state, event, _ in
            MemberState.evolve(state, event)
        }
        guard let state = folded else { throw notFound }
        var fields: [String: JSONValue] = [
            "member": .string(member.description), "display_name": .string(state.displayName),
            "title": .string(state.title), "region": .string(state.region), "department": .string(state.department),
            "leadership": .string(state.leadership.rawValue), "external": .bool(state.isExternal),
            "active": .bool(state.isActive),
        ]
        fields["organization"] = state.organization.map { .string($0) }
        if member == reader {
            fields["email"] = .string(state.email)
            fields["following"] = [
                "members": .array(state.followedMembers.sorted().map { .string($0.description) }),
                "communities": .array(state.followedCommunities.sorted().map { .string($0.description) }),
            ]
        }
        return ReadObject(json: .object(fields), position: position)
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
