import Hummingbird
import PraxisDomain
import PraxisProjections
import PraxisProtocol
import PraxisStore

/// Community value insights for members: `GET /v1/communities/{community}/insights` and
/// `GET /v1/insights/org`, with `period` (`28d`), `until` (a time), `stale_days` and `min_position`.
struct InsightsRoutes<Store: EventStore> {
    let backend: PraxisBackend<Store>
    /// Figures about groups smaller than this are suppressed.
    let minimumGroup: Int

    func register(on v1: RouterGroup<PraxisRequestContext>) {
        let queries = ReadModelQueries(readModels: backend.readModels)
        v1.get("/communities/{community}/insights") { request, context in
            guard let reader = context.member else { throw APIError.unauthorized }
            guard let community = context.parameters.get("community").flatMap(CommunityID.init) else {
                throw APIError.invalidParameter("community", "must be a lowercase hyphenated UUID")
            }
            return try await answer(queries, request, scope: .community(community), reader: reader)
        }
        v1.get("/insights/org") { request, context in
            guard let reader = context.member else { throw APIError.unauthorized }
            return try await answer(queries, request, scope: .organisation, reader: reader)
        }
    }

    private func answer(
        _ queries: ReadModelQueries, _ request: Request, scope: InsightsRequest.Scope, reader: MemberID
    ) async throws -> Response {
        var insights = try Self.request(request, scope: scope, viewer: .member(reader))
        insights.minimumGroup = minimumGroup
        try await ReadRoutes<Store>.waitIfAsked(request, backend: backend, for: ["community_roster", "insights"])
        let answer = try await queries.insights(insights)
        var response = JSONResponse(answer.report).response()
        response.headers[ReadRoutes<Store>.positionHeader] = String(answer.position.value)
        return response
    }

    /// The report asked for by the query parameters, or the parameter at fault.
    static func request(_ http: Request, scope: InsightsRequest.Scope, viewer: InsightsRequest.Viewer)
        throws -> InsightsRequest
    {
        let query = http.uri.queryParameters
        var request = InsightsRequest(scope: scope, viewer: viewer)
        if let text = query["period"] {
            guard let days = InsightsRequest.periodDays(String(text)) else {
                throw APIError.invalidParameter("period", "must be a number of days from 1 to 366 followed by d, e.g. 28d")
            }
            request.periodDays = days
        }
        if let text = query["until"] {
            guard let until = Timestamp(rfc3339: String(text)) else {
                throw APIError.invalidParameter("until", "must be a time, YYYY-MM-DDTHH:MM:SS.sssZ")
            }
            request.until = until
        }
        request.staleAfterDays = Int(
            try LogRoutes<Store>.integer(query["stale_days"].map(String.init), name: "stale_days", default: 7, in: 1...366))
        return request
    }
}
