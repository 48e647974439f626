import Hummingbird
import PraxisDomain
import PraxisProtocol
import PraxisStore

/// The query and path parameters the reads share, checked: bad ones are `400 invalid_parameter`
/// naming the parameter.
extension ReadRoutes {
    /// What a community's reads take: the reader, the community of the path, and paging.
    static func common(_ request: Request, _ context: PraxisRequestContext) throws
        -> (MemberID, CommunityID, String?, Int)
    {
        guard let reader = context.member else { throw APIError.unauthorized }
        let community: CommunityID = try identifier("community", context)
        let (cursor, limit) = try paging(request)
        return (reader, community, cursor, limit)
    }

    /// The id in path parameter `name`.
    static func identifier<Kind>(_ name: String, _ context: PraxisRequestContext) throws(APIError) -> Identifier<Kind> {
        guard let id = context.parameters.get(name).flatMap(Identifier<Kind>.init) else {
            throw APIError.invalidParameter(name, "must be a lowercase hyphenated UUID")
        }
        return id
    }

    /// The ids in query parameter `name`, separated by commas: 1 to `maximum` of them, each once,
    /// in the order given.
    static func identifiers<Kind>(_ name: String, _ request: Request, maximum: Int) throws(APIError) -> [Identifier<Kind>] {
        let invalid = APIError.invalidParameter(name, "give 1 to \(maximum) lowercase hyphenated UUIDs separated by commas")
        let texts = request.uri.queryParameters[Substring(name)]?.split(separator: ",", omittingEmptySubsequences: false) ?? []
        var ids: [Identifier<Kind>] = []
        for text in texts {
            guard let id = Identifier<Kind>(String(text)) else { throw invalid }
            if !ids.contains(id) { ids.append(id) }
            guard ids.count <= maximum else { throw invalid }
        }
        guard !ids.isEmpty else { throw invalid }
        return ids
    }

    /// `cursor` and `limit` (1–100, default 20).
    static func paging(_ request: Request) throws -> (String?, Int) {
        let query = request.uri.queryParameters
        let limit = try LogRoutes<Store>.integer(query["limit"].map(String.init), name: "limit", default: 20, in: 1...100)
        return (query["cursor"].map(String.init), Int(limit))
    }

    /// A query parameter that names one of `Value`'s cases; `nil` when absent.
    static func choice<Value: WireEnum>(_ text: String?, name: String) throws(APIError) -> Value? {
        guard let text else { return nil }
        guard let value = Value(rawValue: text) else {
            throw APIError.invalidParameter(name, "must be one of \(Value.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return value
    }

    static func flag(_ text: String?, name: String) throws(APIError) -> Bool {
        switch text {
        case nil, "false": return false
        case "true": return true
        default: throw APIError.invalidParameter(name, "must be true or false")
        }
    }
}
