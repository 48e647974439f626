import PraxisProtocol

/// `GET /v1/mentoring/offers`: finding a mentor, in the OpenAPI document.
enum OpenAPIMentorParts {
    static let offers: JSONValue = [
        "tags": ["mentoring"], "operationId": "get_mentoring_offers",
        "summary": "The members offering mentoring now, with their topics and the capacity they have left.",
        "description": """
        To find a mentor to ask by name (`POST /v1/mentoring` with `mentor`). Mentors at capacity are
        listed too, with `capacity_left` 0; you are not. `topic` keeps those who list it, in any case.
        For the organisation's own members: guests get `403 guest_not_allowed`.
        """,
        "parameters": .array(
            OpenAPIParts.readParameters.dropFirst() + [
                [
                    "name": "topic", "in": "query", "description": "Only mentors who list this topic.",
                    "schema": ["type": "string", "minLength": 1, "maxLength": 100],
                ]
            ]),
        "responses": OpenAPIParts.readResponses("MentorOfferPage"),
    ]

    static var schemas: [String: JSONValue] {
        let offer: JSONValue = [
            "type": "object",
            "required": [
                "mentor", "display_name", "region", "department", "leadership", "topics", "capacity", "capacity_left",
            ],
            "properties": [
                "mentor": OpenAPIParts.uuid, "display_name": ["type": "string"], "region": ["type": "string"],
                "department": ["type": "string"], "leadership": ["type": "string"],
                "topics": ["type": "array", "items": ["type": "string"]], "capacity": ["type": "integer"],
                "capacity_left": ["type": "integer"],
            ],
        ]
        return ["MentorOfferPage": OpenAPIParts.page(of: offer)]
    }
}
