import GRDB
import PraxisDomain

/// What a reader may see of a community, decided from the roster at read time (so a member who
/// left a secret community stops seeing it at once).
struct ReadAccess {
    let community: CommunityID
    let role: CommunityRole?

    var moderates: Bool { role?.moderates == true }

    /// The reader's access, or the refusal: `not_found` when they may not know the community
    /// exists, `not_member` when they may see it but not its content (if `content` is asked for).
    static func check(
        _ db: Database, _ roster: TableNames, reader: MemberID, community: CommunityID, content: Bool
    ) throws -> ReadAccess {
        // An unknown reader cannot know of any community.
        let external: Bool
        do {
            external = !(try ReadModelQueries.requireActive(db, roster, reader))
        } catch let failure as QueryFailure where failure.code == .notFound {
            throw QueryFailure(.notFound, "no community \(community)")
        }
        guard
            let row = try Row.fetchOne(
                db.cachedStatement(sql: "SELECT kind, visibility FROM \(roster("communities")) WHERE community = ?"),
                arguments: [community.description])
        else { throw QueryFailure(.notFound, "no community \(community)") }
        let role = try String.fetchOne(
            db.cachedStatement(sql: "SELECT role FROM \(roster("members")) WHERE community = ? AND member = ?"),
            arguments: [community.description, reader.description]
        ).flatMap(CommunityRole.init)
        let invited =
            try Bool.fetchOne(
                db.cachedStatement(
                    sql: "SELECT 1 FROM \(roster("pending")) WHERE community = ? AND member = ? AND kind = 'invitation'"),
                arguments: [community.description, reader.description]) ?? false
        let involved = role != nil || invited
        let visibility: String = row["visibility"]
        let visible =
            external
            ? (row["kind"] as String == CommunityKind.external.rawValue && involved) : (visibility != "secret" || involved)
        guard visible else { throw QueryFailure(.notFound, "no community \(community)") }
        if content && role == nil && !(visibility == "open" && !external) {
            throw QueryFailure(.notMember, "only members read this community's content")
        }
        return ReadAccess(community: community, role: role)
    }
}
