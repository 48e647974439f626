import PraxisProtocol

/// `GET /v1/me`, `GET /v1/members/{member}` and `GET /v1/members?ids=`: profiles, in the OpenAPI
/// document.
enum OpenAPIProfileParts {
    static let me: JSONValue = [
        "tags": ["members"], "operationId": "get_me",
        "summary": "Who you are: your profile, your e-mail address and whom you follow.",
        "description": "The member the access token belongs to; a client learns its own member id here.",
        "parameters": [minPosition],
        "responses": responses("Who you are."),
    ]

    static let member: JSONValue = [
        "tags": ["members"], "operationId": "get_members_member",
        "summary": "A member's profile: name, title, region, department, leadership level, guest status.",
        "description": """
        Internal members see every member; a guest sees themself and the members of the communities
        they are in. Anyone else, and a member that does not exist, is `not_found` with the same
        message. E-mail addresses and follows are only in your own profile (`GET /v1/me`).
        """,
        "parameters": [OpenAPIParts.pathParameter("member"), minPosition],
        "responses": responses("The profile."),
    ]

    static let members: JSONValue = [
        "tags": ["members"], "operationId": "get_members",
        "summary": "Several members' profiles at once, in the order asked: to show who wrote what.",
        "description": """
        `ids` names 1 to 100 members. The profiles you may see (as for `GET /v1/members/{member}`) are
        under `items`; the other ids, not members or not yours to see alike, under `missing`.
        """,
        "parameters": [
            [
                "name": "ids", "in": "query", "required": true,
                "description": "1 to 100 member ids, separated by commas.", "schema": ["type": "string"],
            ],
            minPosition,
        ],
        "responses": responses("The profiles.", schema: "ProfileList", notFound: false),
    ]

    private static let minPosition: JSONValue = [
        "name": "min_position", "in": "query", "description": "As for the other reads.",
        "schema": ["type": "integer", "minimum": 0],
    ]

    private static func responses(_ description: String, schema: String = "Profile", notFound: Bool = true) -> JSONValue {
        var answers: [String: JSONValue] = [
            "200": [
                "description": .string(description),
                "headers": [
                    "Praxis-Position": [
                        "description": "The log position of the roster that decided who may see it.",
                        "schema": ["type": "integer"],
                    ]
                ],
                "content": ["application/json": ["schema": ["$ref": .string("#/components/schemas/\(schema)")]]],
            ],
            "400": OpenAPIParts.reference("InvalidRequest"), "401": OpenAPIParts.reference("Unauthorized"),
            "403": OpenAPIParts.reference("Forbidden"), "500": OpenAPIParts.reference("InternalError"),
            "503": OpenAPIParts.reference("Unavailable"),
        ]
        if notFound { answers["404"] = OpenAPIParts.reference("NotFound") }
        return .object(answers)
    }

    static var schemas: [String: JSONValue] {
        let uuids: JSONValue = ["type": "array", "items": OpenAPIParts.uuid]
        return [
            "ProfileList": [
                "type": "object", "required": ["items", "missing", "position"],
                "properties": [
                    "items": ["type": "array", "items": ["$ref": "#/components/schemas/Profile"]], "missing": uuids,
                    "position": ["type": "integer"],
                ],
            ],
            "Profile": [
                "type": "object",
                "required": [
                    "member", "display_name", "title", "region", "department", "leadership", "external", "active",
                ],
                "properties": [
                    "member": OpenAPIParts.uuid, "display_name": ["type": "string"], "title": ["type": "string"],
                    "region": ["type": "string"], "department": ["type": "string"],
                    "leadership": ["type": "string", "enum": ["contributor", "manager", "senior", "executive"]],
                    "external": ["type": "boolean", "description": "A guest from a customer or partner."],
                    "organization": ["type": "string", "description": "A guest's organisation."],
                    "active": ["type": "boolean"],
                    "email": ["type": "string", "description": "Your own profile only."],
                    "following": [
                        "type": "object", "description": "Your own profile only.", "required": ["members", "communities"],
                        "properties": ["members": uuids, "communities": uuids],
                    ],
                ],
            ],
        ]
    }
}
