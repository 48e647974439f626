import PraxisDomain
import PraxisProtocol

/// `GET /v1/communities` and `GET /v1/communities/{community}`: finding communities, in the
/// OpenAPI document.
enum OpenAPICommunityParts {
    static let list: JSONValue = [
        "tags": ["communities"], "operationId": "get_communities",
        "summary": "The communities you may see, oldest first, with their size and your role: to find one to join.",
        "description": """
        Internal members see every open and closed community and the secret ones they are in or invited
        to; a guest sees the external communities they are in or invited to. `kind` keeps one kind;
        `mine=true` only those you are a member of; `name` those whose name contains it.
        """,
        "parameters": .array(
            OpenAPIParts.readParameters.dropFirst() + [
                [
                    "name": "kind", "in": "query", "description": "Only communities of this kind.",
                    "schema": ["type": "string", "enum": .array(CommunityKind.allCases.map { .string($0.rawValue) })],
                ],
                [
                    "name": "mine", "in": "query", "description": "Only the communities you are a member of.",
                    "schema": ["type": "boolean", "default": false],
                ],
                [
                    "name": "name", "in": "query",
                    "description": "Only communities whose name contains this (ignoring the case of ASCII letters).",
                    "schema": ["type": "string", "minLength": 1, "maxLength": 100],
                ],
            ]),
        "responses": OpenAPIParts.readResponses("CommunityPage"),
    ]

    static let detail: JSONValue = [
        "tags": ["communities"], "operationId": "get_communities_community",
        "summary": "One community: name, description, kind, visibility, tags, size, owners and your standing in it.",
        "description": """
        Read from the community's stream, so an edit shows at once; a secret community is `not_found` to
        outsiders, as everywhere.
        """,
        "parameters": .array(
            [OpenAPIParts.pathParameter("community")] + OpenAPIParts.readParameters.filter { $0["name"] == "min_position" }),
        "responses": OpenAPIParts.readResponses("Community"),
    ]

    static var schemas: [String: JSONValue] {
        let standing: [String: JSONValue] = [
            "role": ["type": "string", "enum": ["owner", "moderator", "member", "guest"], "description": "Yours, if a member."],
            "invited": ["type": "boolean", "description": "You have an invitation to answer."],
            "requested": ["type": "boolean", "description": "Your request to join waits for approval."],
        ]
        let common: [String: JSONValue] = [
            "community": OpenAPIParts.uuid, "name": ["type": "string"],
            "kind": ["type": "string", "enum": .array(CommunityKind.allCases.map { .string($0.rawValue) })],
            "visibility": ["type": "string", "enum": .array(CommunityVisibility.allCases.map { .string($0.rawValue) })],
            "archived": ["type": "boolean"], "members": ["type": "integer"],
        ]
        let required: [JSONValue] = ["community", "name", "kind", "visibility", "archived", "members", "invited", "requested"]
        let summary: JSONValue = [
            "type": "object", "required": .array(required), "properties": .object(common.merging(standing) { $1 }),
        ]
        return [
            "CommunityPage": OpenAPIParts.page(of: summary),
            "Community": [
                "type": "object", "required": .array(required + ["description", "tags", "owners"]),
                "properties": .object(
                    common.merging(standing) { $1 }.merging([
                        "description": ["type": "string"], "tags": ["type": "array", "items": ["type": "string"]],
                        "owners": ["type": "array", "items": OpenAPIParts.uuid],
                    ]) { $1 }),
            ],
        ]
    }
}
