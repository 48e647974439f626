import Foundation
import HTTPTypes
public import PraxisProtocol

/// `Protocol/openapi.yaml`, built from the code: the command route table with request bodies
/// inferred from the commands' own decoding, plus the hand-described read and operator endpoints.
/// A test fails when the committed file differs; `praxis protocol openapi` regenerates it.
public enum OpenAPIDocument {
    /// The document as YAML.
    public static func yaml() throws -> String {
        YAML.render(try document(), keyOrder: ["openapi", "info", "servers", "tags", "security", "paths", "components"])
    }

    /// The document as a JSON value.
    public static func document() throws -> JSONValue {
        var paths: [String: [String: JSONValue]] = [
            "/health": ["get": OpenAPIParts.health],
            "/metrics": ["get": OpenAPIParts.metrics],
            "/v1/log": ["get": OpenAPIParts.log],
            "/v1/operator/members/{member}/tokens": ["post": OpenAPIParts.mintToken],
        ]
        for (path, operation) in readOperations { paths[path, default: [:]]["get"] = operation }
        for (path, item) in OpenAPIParts.auditPaths { paths[path] = item.objectValue }
        for (path, item) in OpenAPISyncParts.paths { paths[path] = item.objectValue }
        for (path, item) in OpenAPIInsightsParts.paths { paths[path] = item.objectValue }
        paths["/v1/operator/projections", default: [:]]["get"] = OpenAPIParts.projectionStatus
        paths["/v1/operator/export", default: [:]]["get"] = OpenAPIParts.export
        paths["/v1/operator/projections/{name}/rebuild"] = [
            "post": OpenAPIParts.projectionRebuild(true), "delete": OpenAPIParts.projectionRebuild(false),
        ]
        for route in CommandRoute.all {
            paths[route.fullPath, default: [:]][route.method.rawValue.lowercased()] = try operation(route)
        }
        paths = paths.mapValues { $0.mapValues(withRateLimit) }
        return [
            "openapi": "3.1.0",
            "info": [
                "title": "Praxis", "version": .string(ServerConfiguration.version),
                "summary": "Event-sourced backend for enterprise social networks.",
                "description": .string(OpenAPIParts.introduction), "license": ["name": "Proprietary"],
            ],
            "servers": [["url": "http://127.0.0.1:8080", "description": "The default of `praxis serve`."]],
            "tags": .array(OpenAPIParts.tags.map { ["name": .string($0.0), "description": .string($0.1)] }),
            "security": [["memberToken": []]],
            "paths": .object(paths.mapValues { .object($0) }),
            "components": components,
        ]
    }

    /// The members' reads, by path.
    static let readOperations: [(String, JSONValue)] = [
        ("/v1/me", OpenAPIProfileParts.me), ("/v1/me/feed", OpenAPIParts.homeFeed),
        ("/v1/me/notifications", OpenAPIParts.notifications), ("/v1/me/mentoring", OpenAPIParts.myMentoring),
        ("/v1/members", OpenAPIProfileParts.members), ("/v1/members/{member}", OpenAPIProfileParts.member),
        ("/v1/communities", OpenAPICommunityParts.list), ("/v1/communities/{community}", OpenAPICommunityParts.detail),
        ("/v1/communities/{community}/members", OpenAPIParts.roster),
        ("/v1/communities/{community}/posts", OpenAPIParts.feed),
        ("/v1/communities/{community}/learning-events", OpenAPILearningParts.list),
        ("/v1/communities/{community}/mentoring", OpenAPIParts.communityMentoring),
        ("/v1/posts/{post}", OpenAPIThreadParts.operation), ("/v1/mentoring/offers", OpenAPIMentorParts.offers),
        ("/v1/search", OpenAPIParts.search),
    ]

    /// The shared components, with the schemas of the parts described in files of their own added.
    static var components: JSONValue {
        guard case .object(var components) = OpenAPIParts.components,
            case .object(var schemas) = components["schemas"]
        else { return OpenAPIParts.components }
        let parts = [
            OpenAPISyncParts.schemas, OpenAPIInsightsParts.schemas, OpenAPIThreadParts.schemas,
            OpenAPIProfileParts.schemas, OpenAPICommunityParts.schemas, OpenAPIMentorParts.schemas,
            OpenAPILearningParts.schemas,
        ]
        for part in parts { schemas.merge(part) { $1 } }
        components["schemas"] = .object(schemas)
        return .object(components)
    }

    /// Adds `429` to operations under the per-member or per-device rate limit: those a member's
    /// token opens (the document's default security) and the signed sync requests.
    static func withRateLimit(_ operation: JSONValue) -> JSONValue {
        guard case .object(var fields) = operation, case .object(var responses)? = fields["responses"] else { return operation }
        let security = fields["security"]
        let member = security == nil || security == [["memberToken": []]]
        let signedSync = fields["tags"]?.arrayValue?.contains("sync") == true && responses["401"] != nil
        guard member || signedSync else { return operation }
        responses["429"] = OpenAPIParts.reference("RateLimited")
        fields["responses"] = .object(responses)
        return .object(fields)
    }

    static func operation(_ route: CommandRoute) throws -> JSONValue {
        var body = try SchemaInference.schema(of: route.command).objectValue ?? [:]
        var properties = body["properties"]?.objectValue ?? [:]
        var required = (body["required"]?.arrayValue ?? []).compactMap(\.stringValue)
        let implied = Set(route.parameters + route.fixed.keys + (route.selfField.map { [$0] } ?? []))
        properties = properties.filter { !implied.contains($0.key) }
        required = required.filter { !implied.contains($0) && !route.creates.contains($0) }
        for created in route.creates {
            if case .object(var schema)? = properties[created] {
                schema["description"] = "Optional: the id of the new thing; the server picks a UUIDv7 when it is left out."
                properties[created] = .object(schema)
            }
        }
        body["type"] = "object"
        body["additionalProperties"] = false  // also for a command that reads no field: the server refuses any
        body["properties"] = .object(properties)
        body["required"] = .array(required.map { .string($0) })
        var operation: [String: JSONValue] = [
            "operationId": .string(operationID(route)),
            "summary": .string(route.summary),
            "tags": [.string(tag(route))],
            "parameters": .array(route.parameters.map(OpenAPIParts.pathParameter)),
            "requestBody": [
                "required": .bool(!required.isEmpty),
                "content": ["application/json": ["schema": .object(body)]],
            ],
            "responses": OpenAPIParts.commandResponses(created: !route.creates.isEmpty),
        ]
        if route.caller == .operator { operation["security"] = [["operatorToken": []]] }
        return .object(operation)
    }

    static func operationID(_ route: CommandRoute) -> String {
        let words = route.fullPath.split(separator: "/").dropFirst().map {
            $0.replacingOccurrences(of: "{", with: "").replacingOccurrences(of: "}", with: "")
                .replacingOccurrences(of: "-", with: "_")
        }
        return ([route.method.rawValue.lowercased()] + words).joined(separator: "_")
    }

    static func tag(_ route: CommandRoute) -> String {
        if route.caller == .operator { return "operator" }
        switch route.path.split(separator: "/").first ?? "" {
        case "communities" where route.path.contains("/posts") || route.path.contains("/learning-events"):
            return route.path.contains("/posts") ? "content" : "learning"
        case "communities": return "communities"
        case "posts": return "content"
        case "learning-events": return "learning"
        case "mentoring": return "mentoring"
        case "devices": return "devices"
        default: return "members"
        }
    }
}
