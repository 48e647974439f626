import PraxisProtocol

/// The hand-written parts of the OpenAPI document: texts, shared schemas and responses, and the
/// endpoints that are not commands.
enum OpenAPIParts {
    static let introduction = """
        Every action in Praxis is an append-only event in a log. This document describes the HTTP API
        of `praxis serve`; it is generated from the code (`praxis protocol openapi`).

        **Authentication.** Members send `Authorization: Bearer <access token>`; an operator mints
        tokens (`POST /v1/operator/members/{member}/tokens`, or `praxis members token`). Operator
        endpoints take the operator token that `praxis serve` writes to `DATA/operator.token`.

        **Errors.** Every failure answers `{"error":{"code":"…","message":"…","field":"…"}}`. `code`
        is a stable snake_case string to match on, `field` names the offending field when one is to
        blame, `message` is for people. No answer contains SQL, server paths or stack traces. A
        community a member may not see is `not_found`, never `forbidden`, so its existence does not leak.

        **Bodies.** JSON objects (`Content-Type: application/json`; a `charset` other than `utf-8` is
        `415 unsupported_media_type`), at most 1 MiB; duplicate keys,
        invalid UTF-8, nesting deeper than 64 and numbers beyond the double range are refused with
        their own codes. Ids are lowercase UUIDs; times are `YYYY-MM-DDTHH:MM:SS.sssZ`. Headers over
        80 KiB in all are refused before any route with `431 headers_too_large`.

        **Commands.** Each write endpoint is one domain command. Its answer lists the events it
        appended (position, id, stream, type) and, under `ids`, the ids the server chose for new
        things the request did not name. Path parameters and the route's own settings need not be
        repeated in the body; a body value that contradicts them is refused.

        **Reads.** Lists are pages, `{"items": […], "next_cursor": …, "position": …}`, read from the
        read models; one thing in full (a post's thread, a profile, a community, a learning event) is
        folded from its own stream in the log, so it shows your last write at once. Who may read is
        decided by the community roster at read time; every answer carries its log position in
        `Praxis-Position`, and `min_position` waits for the read models to reach a position.
        """

    static let tags: [(String, String)] = [
        ("service", "Liveness and version."),
        ("operator", "For operators, with the operator token."),
        ("members", "Your profile, tokens and follows."),
        ("communities", "Communities and membership: join, request, invite, assign, roles."),
        ("content", "Posts, comments, reactions, accepted answers, pins."),
        ("learning", "Learning events: scheduling, RSVPs, attendance."),
        ("mentoring", "Mentoring offers, requests and links."),
        ("insights", "Community value insights: does this community create value?"),
        ("devices", "Device keys for signed sync."),
        ("sync", "Delta sync for offline devices, praxis-sync/1 (Protocol/PROTOCOL.md); requests signed by a device key."),
        ("audit", "Signed Merkle tree heads and proofs, for auditors; no credentials needed."),
    ]

    static func pathParameter(_ name: String) -> JSONValue {
        [
            "name": .string(name), "in": "path", "required": true,
            "schema": ["type": "string", "pattern": "^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"],
        ]
    }

    static func reference(_ name: String) -> JSONValue { ["$ref": .string("#/components/responses/\(name)")] }

    /// The schema of a read's page of `item`s: `{"items": […], "next_cursor": …, "position": …}`.
    static func page(of item: JSONValue) -> JSONValue {
        [
            "type": "object", "required": ["items", "position"],
            "properties": [
                "items": ["type": "array", "items": item], "next_cursor": ["type": "string"],
                "position": ["type": "integer"],
            ],
        ]
    }

    static func commandResponses(created: Bool) -> JSONValue {
        [
            created ? "201" : "200": [
                "description": "The command took effect; the events it appended.",
                "content": ["application/json": ["schema": ["$ref": "#/components/schemas/CommandResult"]]],
            ],
            "400": reference("InvalidRequest"), "401": reference("Unauthorized"), "403": reference("Forbidden"),
            "404": reference("NotFound"), "409": reference("Conflict"), "413": reference("PayloadTooLarge"),
            "415": reference("UnsupportedMediaType"), "500": reference("InternalError"), "503": reference("Unavailable"),
        ]
    }

    static let health: JSONValue = [
        "tags": ["service"], "operationId": "get_health", "summary": "Whether the service can read its log.",
        "security": [],
        "responses": [
            "200": [
                "description": "The service is up.",
                "content": ["application/json": ["schema": ["$ref": "#/components/schemas/Health"]]],
            ],
            "500": reference("InternalError"), "503": reference("Unavailable"),
        ],
    ]

    static let log: JSONValue = [
        "tags": ["operator"], "operationId": "get_log", "summary": "Read the log in position order, one page at a time.",
        "description": """
        Up to `limit` events with positions from `from` on, and at most 4 MiB of them (a page of
        large events ends early, but holds at least one). Start at `from=1` and repeat with
        `from=next_from` until `events` is empty. Positions are gap-free and in commit order, so no
        event is skipped or repeated across pages, even while events are appended.
        """,
        "security": [["operatorToken": []]],
        "parameters": [
            [
                "name": "from", "in": "query", "description": "The first position to return.",
                "schema": ["type": "integer", "minimum": 1, "default": 1],
            ],
            [
                "name": "limit", "in": "query", "description": "The most events to return.",
                "schema": ["type": "integer", "minimum": 1, "maximum": 1000, "default": 100],
            ],
        ],
        "responses": [
            "200": [
                "description": "A page of events.",
                "content": ["application/json": ["schema": ["$ref": "#/components/schemas/LogPage"]]],
            ],
            "400": reference("InvalidRequest"), "401": reference("Unauthorized"), "500": reference("InternalError"),
            "503": reference("Unavailable"),
        ],
    ]

    static let readParameters: [JSONValue] = [
        pathParameter("community"),
        [
            "name": "limit", "in": "query", "description": "The most items to return.",
            "schema": ["type": "integer", "minimum": 1, "maximum": 100, "default": 20],
        ],
        [
            "name": "cursor", "in": "query", "description": "The `next_cursor` of the previous page.",
            "schema": ["type": "string"],
        ],
        [
            "name": "min_position", "in": "query",
            "description":
                "Wait (up to 5 s) until the read models reflect this log position, e.g. the position of your own last write; else 503 `projection_behind`. A position beyond the log's head is 400 `invalid_parameter`.",
            "schema": ["type": "integer", "minimum": 0],
        ],
    ]

    static func readResponses(_ schema: String) -> JSONValue {
        [
            "200": [
                "description": "A page, and the log position it reflects.",
                "headers": [
                    "Praxis-Position": [
                        "description": "The log position the read models reflect.", "schema": ["type": "integer"],
                    ]
                ],
                "content": ["application/json": ["schema": ["$ref": .string("#/components/schemas/\(schema)")]]],
            ],
            "400": reference("InvalidRequest"), "401": reference("Unauthorized"), "403": reference("Forbidden"),
            "404": reference("NotFound"), "500": reference("InternalError"), "503": reference("Unavailable"),
        ]
    }

    static let roster: JSONValue = [
        "tags": ["communities"], "operationId": "get_communities_community_members",
        "summary":
            "A community's members with role, origin, joined and last active; pending requests and invitations for owners and moderators.",
        "description": "Anyone who may see the community reads its roster; a secret community is `not_found` to outsiders.",
        "parameters": .array(readParameters),
        "responses": readResponses("RosterPage"),
    ]

    static let feed: JSONValue = [
        "tags": ["content"], "operationId": "get_communities_community_posts",
        "summary": "A community's posts, newest first, with their Q&A figures.",
        "description": """
        Members read it, and everyone inside the organisation when the community is open (`not_member`
        otherwise). Pages are keyed by log position, so posts written while paging never shift a page.
        """,
        "parameters": .array(
            readParameters + [
                [
                    "name": "kind", "in": "query", "description": "Only posts of this kind.",
                    "schema": [
                        "type": "string",
                        "enum": ["discussion", "question", "announcement", "success_story", "best_practice", "resource"],
                    ],
                ],
                [
                    "name": "unanswered", "in": "query", "description": "Only questions nobody else has answered yet.",
                    "schema": ["type": "boolean", "default": false],
                ],
            ]),
        "responses": readResponses("FeedPage"),
    ]

    static let homeFeed: JSONValue = [
        "tags": ["members"], "operationId": "get_me_feed",
        "summary": "Your home feed: posts from your communities and the members and communities you follow, newest first.",
        "description": """
        Shows what was posted since you joined or started following, in communities you may read now
        (leaving a secret community hides its posts at once). The first page also lists, under
        `pinned`, your communities' pinned announcements that have not expired and that you have not
        dismissed (`POST /v1/posts/{post}/dismiss`).
        """,
        "parameters": .array(Array(readParameters.dropFirst())),
        "responses": readResponses("HomePage"),
    ]

    static let notifications: JSONValue = [
        "tags": ["members"], "operationId": "get_me_notifications",
        "summary": "Your notifications, newest first: mentions, replies, answers, accepted answers, mentoring and join requests.",
        "description": """
        Each is `read` once you mark notifications read up to its `position`
        (`POST /v1/me/notifications/read`). Notifications about communities you may no longer read are
        left out; deleted content takes its notifications with it.
        """,
        "parameters": .array(
            Array(readParameters.dropFirst()) + [
                [
                    "name": "unread", "in": "query", "description": "Only unread notifications.",
                    "schema": ["type": "boolean", "default": false],
                ]
            ]),
        "responses": readResponses("NotificationPage"),
    ]

    static let search: JSONValue = [
        "tags": ["content"], "operationId": "get_search",
        "summary": "Search posts and comments you may read, best match first, with snippets.",
        "description": """
        Every word of `q` must occur (words are runs of letters and digits; other characters only
        separate them, so no input is a syntax error). Ranked by bm25; pages follow the ranking.
        """,
        "parameters": .array(
            [["name": "q", "in": "query", "required": true, "schema": ["type": "string", "minLength": 1, "maxLength": 500]]]
                + Array(readParameters.dropFirst())),
        "responses": readResponses("SearchPage"),
    ]

    static let myMentoring: JSONValue = [
        "tags": ["mentoring"], "operationId": "get_me_mentoring",
        "summary": "Your mentoring: your offer with the capacity left, the links you mentor, the links you are mentored in.",
        "parameters": [
            [
                "name": "min_position", "in": "query", "description": "As for the other reads.",
                "schema": ["type": "integer", "minimum": 0],
            ]
        ],
        "responses": readResponses("MentoringPage"),
    ]

    static let communityMentoring: JSONValue = [
        "tags": ["mentoring"], "operationId": "get_communities_community_mentoring",
        "summary": "The mentoring links asked for within a community, for those who may read its content.",
        "parameters": .array(readParameters),
        "responses": readResponses("MentoringPage"),
    ]

    static let projectionStatus: JSONValue = [
        "tags": ["operator"], "operationId": "get_operator_projections",
        "summary": "Each read model's version, generation, checkpoint, lag, and rebuild in progress.",
        "security": [["operatorToken": []]],
        "responses": [
            "200": [
                "description": "The read models.",
                "content": ["application/json": ["schema": ["$ref": "#/components/schemas/ProjectionList"]]],
            ],
            "401": reference("Unauthorized"), "500": reference("InternalError"), "503": reference("Unavailable"),
        ],
    ]

    static func projectionRebuild(_ start: Bool) -> JSONValue {
        [
            "tags": ["operator"],
            "operationId": .string(start ? "post_operator_projections_name_rebuild" : "delete_operator_projections_name_rebuild"),
            "summary": .string(
                start
                    ? "Rebuild a read model beside the live one and swap it in; reads go on meanwhile. Answers at once (202)."
                    : "Discard a rebuild in progress; the live read model stays."),
            "security": [["operatorToken": []]],
            "parameters": [["name": "name", "in": "path", "required": true, "schema": ["type": "string"]]],
            "responses": [
                start ? "202" : "200": [
                    "description": start ? "The rebuild has started." : "The rebuild is discarded.",
                    "content": [
                        "application/json": [
                            "schema": [
                                "type": "object", "required": ["name", "status"],
                                "properties": [
                                    "name": ["type": "string"],
                                    "status": ["type": "string", "enum": ["rebuilding", "cancelled"]],
                                ],
                            ]
                        ]
                    ],
                ],
                "401": reference("Unauthorized"), "404": reference("NotFound"), "500": reference("InternalError"),
            ],
        ]
    }

    static let metrics: JSONValue = [
        "tags": ["operator"], "operationId": "get_metrics",
        "summary": "Metrics in the Prometheus text format, among them `praxis_projection_lag_events{projection}`.",
        "security": [["operatorToken": []]],
        "responses": [
            "200": ["description": "The metrics.", "content": ["text/plain": ["schema": ["type": "string"]]]],
            "401": reference("Unauthorized"),
        ],
    ]

    static func query(_ name: String, _ description: String, required: Bool = true, minimum: Int = 1) -> JSONValue {
        [
            "name": .string(name), "in": "query", "required": .bool(required), "description": .string(description),
            "schema": ["type": "integer", "minimum": .number(Double(minimum))],
        ]
    }

    static func audit(_ id: String, _ summary: String, _ parameters: [JSONValue], _ schema: String) -> JSONValue {
        [
            "tags": ["audit"], "operationId": .string(id), "summary": .string(summary), "security": [],
            "parameters": .array(parameters),
            "responses": [
                "200": [
                    "description": "The answer.",
                    "content": ["application/json": ["schema": ["$ref": .string("#/components/schemas/\(schema)")]]],
                ],
                "400": reference("InvalidRequest"),
                "404": errorResponse(
                    "No tree head yet, or a position or tree size beyond the log.", codes: ["not_found", "out_of_range"]),
                "500": reference("InternalError"), "503": reference("Unavailable"),
            ],
        ]
    }

    static let auditPaths: [String: JSONValue] = [
        "/v1/audit/tree-head": [
            "get": audit("get_audit_tree_head", "The latest signed tree head.", [], "SignedTreeHead")
        ],
        "/v1/audit/tree-heads": [
            "get": audit(
                "get_audit_tree_heads", "Signed tree heads above a size, smallest first (one per appended batch).",
                [
                    query("after", "List heads with larger tree sizes.", required: false, minimum: 0),
                    query("limit", "At most this many (1–1000, default 100).", required: false),
                ],
                "SignedTreeHeadList")
        ],
        "/v1/audit/proofs/inclusion": [
            "get": audit(
                "get_audit_proofs_inclusion", "The audit path (RFC 9162 2.1.3) of a position in a tree of a given size.",
                [query("position", "The event's position."), query("tree_size", "The size of a signed tree head.")],
                "InclusionProof")
        ],
        "/v1/audit/proofs/consistency": [
            "get": audit(
                "get_audit_proofs_consistency", "The consistency proof (RFC 9162 2.1.4) between two tree sizes.",
                [query("first", "The smaller tree size."), query("second", "The larger tree size.")], "ConsistencyProof")
        ],
    ]

    static let export: JSONValue = [
        "tags": ["operator", "audit"], "operationId": "get_operator_export",
        "summary": "The log and its signed tree heads as a praxis-log/1 export (NDJSON, streamed).",
        "description": "The format is in Protocol/README.md §5; `praxis audit verify --url` checks it against a pinned key.",
        "security": [["operatorToken": []]],
        "parameters": [
            [
                "name": "up_to", "in": "query", "description": "Export positions 1 … up_to only.",
                "schema": ["type": "integer", "minimum": 0],
            ]
        ],
        "responses": [
            "200": ["description": "The export.", "content": ["application/x-ndjson": ["schema": ["type": "string"]]]],
            "400": reference("InvalidRequest"), "401": reference("Unauthorized"), "500": reference("InternalError"),
        ],
    ]

    static let mintToken: JSONValue = [
        "tags": ["operator"], "operationId": "post_operator_members_member_tokens",
        "summary": "Mint an access token for a member; the token is in this answer only.",
        "security": [["operatorToken": []]],
        "parameters": [pathParameter("member")],
        "responses": [
            "201": [
                "description": "The token, shown once; the log records only its SHA-256.",
                "content": ["application/json": ["schema": ["$ref": "#/components/schemas/MintedToken"]]],
            ],
            "400": reference("InvalidRequest"), "401": reference("Unauthorized"), "404": reference("NotFound"),
            "409": reference("Conflict"), "500": reference("InternalError"), "503": reference("Unavailable"),
        ],
    ]

    static func errorResponse(_ description: String, codes: [String], headers: JSONValue? = nil) -> JSONValue {
        var response: [String: JSONValue] = [
            "description": .string(description + " Codes: " + codes.map { "`\($0)`" }.joined(separator: ", ") + "."),
            "content": ["application/json": ["schema": ["$ref": "#/components/schemas/Error"]]],
        ]
        if let headers { response["headers"] = headers }
        return .object(response)
    }

    static let uuid: JSONValue = ["type": "string", "pattern": "^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"]

    /// An event as the log holds it: the envelope's fields (each as `events/envelope.schema.json`
    /// defines it; the envelope schema itself admits no other members) and what the store assigned.
    static let recordedEvent: JSONValue = {
        let envelopeFields = ["id", "stream", "type", "schema_version", "payload", "metadata", "signature"]
        var properties: [String: JSONValue] = [:]
        for field in envelopeFields {
            properties[field] = ["$ref": .string("events/envelope.schema.json#/properties/\(field)")]
        }
        properties["position"] = ["type": "integer", "minimum": 1]
        properties["stream_version"] = ["type": "integer", "minimum": 1]
        properties["server_time"] = Timestamp.jsonSchema
        properties["hash"] = [
            "type": "string", "pattern": "^[A-Za-z0-9_-]{43}$",
            "description": "SHA-256 of the envelope's RFC 8785 bytes, unpadded base64url.",
        ]
        let required =
            ["id", "stream", "type", "schema_version", "payload", "metadata"]
            + ["position", "stream_version", "server_time", "hash"]
        return [
            "description": "An event envelope as its author wrote it, plus what the store assigned.",
            "type": "object", "required": .array(required.map { .string($0) }), "additionalProperties": false,
            "properties": .object(properties),
        ]
    }()

    static let components: JSONValue = [
        "securitySchemes": [
            "memberToken": ["type": "http", "scheme": "bearer", "description": "A member's access token."],
            "operatorToken": ["type": "http", "scheme": "bearer", "description": "The operator token in `DATA/operator.token`."],
        ],
        "responses": [
            "InvalidRequest": errorResponse(
                "The request is malformed.",
                codes: [
                    "invalid_field", "invalid_parameter", "invalid_cursor", "invalid_query", "invalid_json", "duplicate_key",
                    "invalid_utf8",
                    "lone_surrogate",
                    "number_out_of_range", "nesting_too_deep", "self_mentoring", "not_a_question", "malformed_request",
                    "invalid_header",
                ]),
            "Unauthorized": errorResponse(
                "Credentials are missing or wrong; carries `WWW-Authenticate`.", codes: ["unauthorized"],
                headers: ["WWW-Authenticate": ["schema": ["type": "string"]]]),
            "Forbidden": errorResponse(
                "The caller may see the thing but not do this.",
                codes: ["forbidden", "not_member", "member_deactivated", "guest_not_allowed", "read_only"]),
            "NotFound": errorResponse("Nothing the caller may know of is here.", codes: ["not_found"]),
            "Conflict": errorResponse(
                "The request clashes with the current state; reload and decide again.",
                codes: [
                    "already_member", "already_exists", "email_taken", "approval_required", "archived", "capacity_reached",
                    "last_owner",
                    "invalid_state", "wrong_expected_version", "id_conflict", "expired", "decision_mismatch",
                ]),
            "PayloadTooLarge": errorResponse("The body is over the limit.", codes: ["payload_too_large"]),
            "UnsupportedMediaType": errorResponse("The body is not `application/json`.", codes: ["unsupported_media_type"]),
            "Unavailable": errorResponse(
                "The log or the read models cannot answer right now; retry after `Retry-After` seconds.",
                codes: ["unavailable", "contention", "rebuilding", "projection_behind", "too_many_live_connections"],
                headers: ["Retry-After": ["schema": ["type": "integer"]]]),
            "RateLimited": errorResponse(
                "This member (bearer token) or device (signed sync request) made more requests than `praxis serve --rate-limit` and `--rate-burst` allow; retry after `Retry-After` seconds.",
                codes: ["rate_limited"], headers: ["Retry-After": ["schema": ["type": "integer"]]]),
            "InternalError": errorResponse("The server failed; details are in its log only.", codes: ["internal_error"]),
        ],
        "schemas": [
            "Error": [
                "type": "object", "required": ["error"], "additionalProperties": false,
                "properties": [
                    "error": [
                        "type": "object", "required": ["code", "message"], "additionalProperties": false,
                        "properties": [
                            "code": ["type": "string", "pattern": "^[a-z][a-z0-9_]*$"],
                            "message": ["type": "string"],
                            "field": ["type": "string", "description": "The offending field, for `invalid_field`."],
                            "supported": [
                                "type": "array", "items": ["type": "string"],
                                "description": "For `version_not_supported`: the protocol versions the server speaks.",
                            ],
                            "server_time": ["type": "string", "description": "For `stale_request`: the server's clock."],
                            "last_batch": [
                                "type": "integer", "description": "For `batch_out_of_order`: the last batch number answered.",
                            ],
                            "retry_after": [
                                "type": "integer", "description": "For `rate_limited`: seconds to wait, as in `Retry-After`.",
                            ],
                        ],
                    ]
                ],
            ],
            "Health": [
                "type": "object", "required": ["status", "head", "version"], "additionalProperties": false,
                "properties": [
                    "status": ["type": "string", "const": "ok"], "head": ["type": "integer", "minimum": 0],
                    "version": ["type": "string"],
                ],
            ],
            "LogPage": [
                "type": "object", "required": ["events", "next_from", "head"], "additionalProperties": false,
                "properties": [
                    "events": ["type": "array", "items": ["$ref": "#/components/schemas/RecordedEvent"]],
                    "next_from": ["type": "integer", "minimum": 1], "head": ["type": "integer", "minimum": 0],
                ],
            ],
            "RecordedEvent": recordedEvent,
            "CommandResult": [
                "type": "object", "required": ["events", "ids"], "additionalProperties": false,
                "properties": [
                    "events": [
                        "type": "array",
                        "items": [
                            "type": "object", "required": ["id", "position", "stream", "type"], "additionalProperties": false,
                            "properties": [
                                "id": uuid, "position": ["type": "integer", "minimum": 1], "stream": ["type": "string"],
                                "type": ["type": "string"],
                            ],
                        ],
                    ],
                    "ids": ["type": "object", "additionalProperties": uuid, "description": "Ids the server chose."],
                ],
            ],
            "RosterPage": [
                "type": "object", "required": ["items", "position"],
                "properties": [
                    "items": [
                        "type": "array",
                        "items": [
                            "type": "object",
                            "required": ["member", "display_name", "role", "origin", "joined_at", "last_active_at"],
                            "properties": [
                                "member": uuid, "display_name": ["type": "string"],
                                "role": ["type": "string", "enum": ["owner", "moderator", "member", "guest"]],
                                "origin": ["type": "string", "enum": ["voluntary", "invited", "assigned"]],
                                "joined_at": Timestamp.jsonSchema, "last_active_at": Timestamp.jsonSchema,
                            ],
                        ],
                    ],
                    "pending": [
                        "type": "array", "description": "Owners and moderators only.",
                        "items": [
                            "type": "object", "required": ["member", "kind", "message", "at"],
                            "properties": [
                                "member": uuid, "kind": ["type": "string", "enum": ["request", "invitation"]],
                                "message": ["type": "string"], "at": Timestamp.jsonSchema,
                            ],
                        ],
                    ],
                    "next_cursor": ["type": "string"], "position": ["type": "integer", "minimum": 0],
                ],
            ],
            "FeedPage": [
                "type": "object", "required": ["items", "position"],
                "properties": [
                    "items": [
                        "type": "array",
                        "items": [
                            "type": "object",
                            "required": [
                                "post", "author", "kind", "title", "excerpt", "created_at", "comments", "answers", "pinned",
                                "position",
                            ],
                            "properties": [
                                "post": uuid, "author": uuid, "kind": ["type": "string"], "title": ["type": "string"],
                                "excerpt": ["type": "string", "description": "The first 280 characters of the body."],
                                "link": ["type": "string"], "learning_event": uuid, "created_at": Timestamp.jsonSchema,
                                "edited_at": Timestamp.jsonSchema, "comments": ["type": "integer"],
                                "answers": ["type": "integer", "description": "Top-level comments by others than the author."],
                                "accepted_comment": uuid, "first_answer_at": Timestamp.jsonSchema,
                                "seconds_to_first_answer": ["type": "integer"], "pinned": ["type": "boolean"],
                                "pinned_until": Timestamp.jsonSchema, "position": ["type": "integer"],
                            ],
                        ],
                    ],
                    "next_cursor": ["type": "string"], "position": ["type": "integer", "minimum": 0],
                ],
            ],
            "HomePage": [
                "type": "object", "required": ["items", "position"],
                "properties": [
                    "items": ["type": "array", "items": ["$ref": "#/components/schemas/HomeItem"]],
                    "pinned": [
                        "type": "array", "items": ["$ref": "#/components/schemas/HomeItem"], "description": "First page only.",
                    ],
                    "next_cursor": ["type": "string"], "position": ["type": "integer", "minimum": 0],
                ],
            ],
            "HomeItem": [
                "type": "object",
                "required": ["post", "community", "author", "kind", "title", "excerpt", "created_at", "position"],
                "properties": [
                    "post": uuid, "community": uuid, "author": uuid, "kind": ["type": "string"], "title": ["type": "string"],
                    "excerpt": ["type": "string"], "created_at": Timestamp.jsonSchema, "position": ["type": "integer"],
                    "pinned_until": Timestamp.jsonSchema,
                ],
            ],
            "NotificationPage": [
                "type": "object", "required": ["items", "position"],
                "properties": [
                    "items": [
                        "type": "array",
                        "items": [
                            "type": "object", "required": ["kind", "subject", "at", "position", "read"],
                            "properties": [
                                "kind": [
                                    "type": "string",
                                    "enum": [
                                        "mention", "reply", "answer", "answer_accepted", "mentoring_request", "join_request",
                                    ],
                                ],
                                "subject": ["type": "string", "description": "The post, mentoring link or community concerned."],
                                "comment": uuid, "actor": uuid, "community": uuid, "at": Timestamp.jsonSchema,
                                "position": ["type": "integer"], "read": ["type": "boolean"],
                            ],
                        ],
                    ],
                    "next_cursor": ["type": "string"], "position": ["type": "integer", "minimum": 0],
                ],
            ],
            "SearchPage": [
                "type": "object", "required": ["items", "position"],
                "properties": [
                    "items": [
                        "type": "array",
                        "items": [
                            "type": "object", "required": ["post", "community", "author", "title", "snippet", "position"],
                            "properties": [
                                "post": uuid, "comment": uuid, "community": uuid, "author": uuid, "title": ["type": "string"],
                                "snippet": ["type": "string", "description": "Matches between [ and ]."],
                                "position": ["type": "integer"],
                            ],
                        ],
                    ],
                    "next_cursor": ["type": "string"], "position": ["type": "integer", "minimum": 0],
                ],
            ],
            "MentoringPage": [
                "type": "object", "required": ["position"],
                "properties": [
                    "items": ["type": "array", "items": ["$ref": "#/components/schemas/MentoringLink"]],
                    "as_mentor": ["type": "array", "items": ["$ref": "#/components/schemas/MentoringLink"]],
                    "as_mentee": ["type": "array", "items": ["$ref": "#/components/schemas/MentoringLink"]],
                    "offer": [
                        "type": "object",
                        "properties": [
                            "offering": ["type": "boolean"], "capacity": ["type": "integer"],
                            "capacity_left": ["type": "integer"],
                            "topics": ["type": "array", "items": ["type": "string"]],
                        ],
                    ],
                    "next_cursor": ["type": "string"], "position": ["type": "integer", "minimum": 0],
                ],
            ],
            "MentoringLink": [
                "type": "object", "required": ["mentoring", "mentee", "status", "sessions", "minutes", "goals", "requested_at"],
                "properties": [
                    "mentoring": uuid, "mentee": uuid, "mentor": uuid, "community": uuid,
                    "status": ["type": "string", "enum": ["requested", "active", "declined", "ended"]],
                    "sessions": ["type": "integer"], "minutes": ["type": "integer"], "goals": ["type": "integer"],
                    "requested_at": Timestamp.jsonSchema, "started_at": Timestamp.jsonSchema, "ended_at": Timestamp.jsonSchema,
                    "outcome": ["type": "string", "enum": ["completed", "discontinued", "withdrawn"]],
                ],
            ],
            "ProjectionList": [
                "type": "object", "required": ["projections"],
                "properties": [
                    "projections": [
                        "type": "array",
                        "items": [
                            "type": "object",
                            "required": ["name", "version", "active_version", "generation", "checkpoint", "lag"],
                            "properties": [
                                "name": ["type": "string"], "version": ["type": "integer"], "active_version": ["type": "integer"],
                                "generation": ["type": "integer"], "checkpoint": ["type": "integer"], "lag": ["type": "integer"],
                                "rebuilding_at": ["type": "integer"],
                            ],
                        ],
                    ]
                ],
            ],
            "SignedTreeHead": [
                "type": "object", "required": ["tree_size", "root_hash", "timestamp", "key_id", "signature"],
                "description": "The server's Ed25519 signature over the RFC 8785 bytes of {root_hash, timestamp, tree_size}.",
                "properties": [
                    "tree_size": ["type": "integer"], "root_hash": ["type": "string"], "timestamp": Timestamp.jsonSchema,
                    "key_id": ["type": "string"], "signature": ["type": "string"],
                ],
            ],
            "SignedTreeHeadList": [
                "type": "object", "required": ["tree_heads"],
                "properties": ["tree_heads": ["type": "array", "items": ["$ref": "#/components/schemas/SignedTreeHead"]]],
            ],
            "InclusionProof": [
                "type": "object", "required": ["position", "tree_size", "proof"],
                "properties": [
                    "position": ["type": "integer"], "tree_size": ["type": "integer"],
                    "proof": ["type": "array", "items": ["type": "string", "description": "base64url hash"]],
                ],
            ],
            "ConsistencyProof": [
                "type": "object", "required": ["first", "second", "proof"],
                "properties": [
                    "first": ["type": "integer"], "second": ["type": "integer"],
                    "proof": ["type": "array", "items": ["type": "string", "description": "base64url hash"]],
                ],
            ],
            "MintedToken": [
                "type": "object", "required": ["member", "token_id", "token"], "additionalProperties": false,
                "properties": ["member": uuid, "token_id": uuid, "token": ["type": "string", "pattern": "^[A-Za-z0-9_-]{43}$"]],
            ],
        ],
    ]
}
