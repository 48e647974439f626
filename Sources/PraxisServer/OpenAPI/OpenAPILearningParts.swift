import PraxisProtocol

/// `GET /v1/communities/{community}/learning-events`: a community's learning events, in the
/// OpenAPI document.
enum OpenAPILearningParts {
    static let list: JSONValue = [
        "tags": ["learning"], "operationId": "get_communities_community_learning_events",
        "summary": "A community's learning events in order of start, with RSVP counts and your own answer.",
        "description": """
        For those who may read the community's content. `upcoming=true` keeps the events that have not
        ended yet (a page may then hold fewer than `limit`). Each event is read from its own stream, so
        your RSVP shows at once; `backchannel` is the event's thread (`GET /v1/posts/{post}`).
        """,
        "parameters": .array(
            OpenAPIParts.readParameters + [
                [
                    "name": "upcoming", "in": "query", "description": "Only events that have not ended.",
                    "schema": ["type": "boolean", "default": false],
                ]
            ]),
        "responses": OpenAPIParts.readResponses("LearningEventPage"),
    ]

    static var schemas: [String: JSONValue] {
        let count: JSONValue = ["type": "integer"]
        let event: JSONValue = [
            "type": "object",
            "required": [
                "learning_event", "title", "description", "start", "end", "backchannel", "cancelled", "rsvps", "attended",
            ],
            "properties": [
                "learning_event": OpenAPIParts.uuid, "title": ["type": "string"], "description": ["type": "string"],
                "start": Timestamp.jsonSchema, "end": Timestamp.jsonSchema, "backchannel": OpenAPIParts.uuid,
                "cancelled": ["type": "boolean"],
                "rsvps": [
                    "type": "object", "required": ["going", "maybe", "declined"],
                    "properties": ["going": count, "maybe": count, "declined": count],
                ],
                "my_rsvp": ["type": "string", "enum": ["going", "maybe", "declined"]],
                "attended": ["type": "boolean", "description": "Whether you were recorded as attending."],
            ],
        ]
        return ["LearningEventPage": OpenAPIParts.page(of: event)]
    }
}
