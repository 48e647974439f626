import PraxisDomain
import PraxisProtocol

/// `GET /v1/posts/{post}`: a thread, the post and its comments, in the OpenAPI document.
enum OpenAPIThreadParts {
    static let operation: JSONValue = [
        "tags": ["content"], "operationId": "get_posts_post",
        "summary": "A post with its full text and its comments, oldest first, with reactions.",
        "description": """
        Whoever may read the community's posts reads the thread (`not_member` otherwise); a deleted post,
        and a post in a community the reader may not know of, are `not_found`. The thread is read from
        the log itself, so your own comment is in it at once; `Praxis-Position` is the roster's, which
        decides who may read. A deleted comment stays in its place as `{"comment", "parent",
        "created_at", "deleted": true}`, without author or text, so replies to it keep their parent.
        `limit` and `cursor` page the comments; every page carries the post.
        """,
        "parameters": .array([OpenAPIParts.pathParameter("post")] + OpenAPIParts.readParameters.dropFirst()),
        "responses": OpenAPIParts.readResponses("ThreadPage"),
    ]

    static var schemas: [String: JSONValue] {
        let uuid = OpenAPIParts.uuid
        let uuids: JSONValue = ["type": "array", "items": uuid]
        let reactions: JSONValue = [
            "type": "object", "description": "How many members reacted with each kind.",
            "required": ["like", "thanks", "insightful"],
            "properties": [
                "like": ["type": "integer"], "thanks": ["type": "integer"], "insightful": ["type": "integer"],
            ],
        ]
        let mine: JSONValue = [
            "type": "array", "description": "Your own reactions.",
            "items": ["type": "string", "enum": ["like", "thanks", "insightful"]],
        ]
        let post: JSONValue = [
            "type": "object",
            "required": [
                "post", "community", "author", "kind", "title", "body", "cites", "mentions", "tags", "created_at",
                "comments", "pinned", "reactions", "my_reactions",
            ],
            "properties": [
                "post": uuid, "community": uuid, "author": uuid,
                "kind": ["type": "string", "enum": .array(PostKind.allCases.map { .string($0.rawValue) })],
                "title": ["type": "string"],
                "body": ["type": "string"], "link": ["type": "string"], "file_reference": ["type": "string"],
                "learning_event": uuid, "cites": uuids, "mentions": uuids,
                "tags": ["type": "array", "items": ["type": "string"]],
                "created_at": Timestamp.jsonSchema, "edited_at": Timestamp.jsonSchema,
                "comments": ["type": "integer", "description": "Comments not deleted."],
                "pinned": ["type": "boolean"], "pinned_until": Timestamp.jsonSchema, "accepted_comment": uuid,
                "reactions": reactions, "my_reactions": mine,
            ],
        ]
        let comment: JSONValue = [
            "type": "object", "required": ["comment", "created_at", "deleted"],
            "properties": [
                "comment": uuid, "parent": uuid, "author": uuid, "body": ["type": "string"], "mentions": uuids,
                "created_at": Timestamp.jsonSchema, "edited_at": Timestamp.jsonSchema, "deleted": ["type": "boolean"],
                "reactions": reactions, "my_reactions": mine,
            ],
        ]
        return [
            "ThreadPage": [
                "type": "object", "required": ["post", "items", "position"],
                "properties": [
                    "post": post, "items": ["type": "array", "items": comment], "next_cursor": ["type": "string"],
                    "position": ["type": "integer"],
                ],
            ]
        ]
    }
}
