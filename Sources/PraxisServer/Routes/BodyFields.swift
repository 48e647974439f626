import PraxisProtocol

/// The members a JSON request body may have. Any other is refused with `invalid_field` naming it,
/// as the OpenAPI document's `additionalProperties: false` says: a misspelt optional field is never
/// silently dropped.
struct BodyFields: Sendable {
    /// Every name the request reads.
    private let accepted: Set<String>
    /// The names a client sends, in order, for the error message.
    private let advertised: [String]

    /// A body of exactly these members.
    init(_ names: [String]) {
        accepted = Set(names)
        advertised = names.sorted()
    }

    /// The fields of `route`'s command: those its `Decodable` implementation reads, inferred once
    /// when the route is registered. Fields the path sets are among them (a body may repeat them
    /// if it agrees) but are not advertised.
    init(_ route: CommandRoute) {
        let names: [String]
        do {
            let schema = try SchemaInference.schema(of: route.command)
            names = schema.objectValue?["properties"]?.objectValue.map { Array($0.keys) } ?? []
        } catch {
            // The OpenAPI document infers every route's schema the same way, and a test builds it.
            preconditionFailure("\(route.fullPath): the command's fields cannot be inferred: \(error)")
        }
        let implied = Set(route.parameters + route.fixed.keys + (route.selfField.map { [$0] } ?? []))
        accepted = Set(names)
        advertised = names.filter { !implied.contains($0) }.sorted()
    }

    /// `body` as it is, or `invalid_field` naming the first member (in name order) not accepted.
    func check(_ body: [String: JSONValue]) throws(APIError) -> [String: JSONValue] {
        guard let unknown = body.keys.filter({ !accepted.contains($0) }).min() else { return body }
        let takes = advertised.isEmpty ? "takes no fields" : "takes \(advertised.joined(separator: ", "))"
        throw APIError.invalidField(Self.quoted(unknown), "is not a field of this request, which \(takes)")
    }

    /// A member's name fit to repeat in an answer: at most 64 characters, and the empty name visible.
    private static func quoted(_ name: String) -> String {
        if name.isEmpty { return "\"\"" }
        return name.count > 64 ? name.prefix(64) + "…" : name
    }
}
