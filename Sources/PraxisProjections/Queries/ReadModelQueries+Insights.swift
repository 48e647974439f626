import GRDB
import PraxisDomain
public import PraxisProtocol
public import PraxisStore

/// An insights report and the log position it reflects.
public struct InsightsAnswer: Sendable {
    public let report: JSONValue
    public let position: LogPosition
}

extension ReadModelQueries {
    /// The insights report `request` asks for. A community's report is for those who may read its
    /// content; the organisation's for its own (not external) members; member-level figures only
    /// for the member concerned and the community's owners. Operators see everything.
    public func insights(_ request: InsightsRequest) async throws -> InsightsAnswer {
        try await readModels.readOnDispatchThread { db in
            let (insights, position) = try Self.active(db, Insights())
            var visible: Set<String>? = nil
            var lowest = position
            if case .member(let reader) = request.viewer {
                let (roster, rosterPosition) = try Self.active(db, CommunityRoster())
                lowest = min(lowest, rosterPosition)
                switch request.scope {
                case .community(let community):
                    let access = try ReadAccess.check(db, roster, reader: reader, community: community, content: true)
                    if access.role != .owner { visible = [reader.description] }
                case .organisation:
                    guard try Self.requireActive(db, roster, reader) else {
                        throw QueryFailure(.notMember, "organisation insights are for the organisation's own members")
                    }
                    visible = [reader.description]
                }
            }
            var scope: [String: JSONValue] = ["kind": "organisation"]
            var community: String?
            if case .community(let id) = request.scope {
                guard
                    let kind = try String.fetchOne(
                        db.cachedStatement(sql: "SELECT kind FROM \(insights("communities")) WHERE community = ?"),
                        arguments: [id.description])
                else { throw QueryFailure(.notFound, "no community \(id)") }
                community = id.description
                scope = ["kind": "community", "community": .string(id.description), "community_kind": .string(kind)]
            }
            let facts = try InsightsFacts.load(
                db, insights, community: community, until: request.until?.millisecondsSinceEpoch)
            var report = InsightsReport(facts: facts, request: request, visibleMembers: visible)
            var body = report.sections()
            body["scope"] = .object(scope)
            body["position"] = .number(Double(lowest.value))
            return InsightsAnswer(report: .object(body), position: lowest)
        }
    }
}
