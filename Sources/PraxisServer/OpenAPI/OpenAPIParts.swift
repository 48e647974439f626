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

        **Bodies.** JSON objects (`Content-Type: application/json`), at most 1 MiB; duplicate keys,
        invalid UTF-8, nesting deeper than 64 and numbers beyond the double range are refused with
        their own codes. Ids are lowercase UUIDs; times are `YYYY-MM-DDTHH:MM:SS.sssZ`.

        **Commands.** Each write endpoint is one domain command. Its answer lists the events it
        appended (position, id, stream, type) and, under `ids`, the ids the server chose for new
        things the request did not name. Path parameters and the route's own settings need not be
        repeated in the body; a body value that contradicts them is refused.
        """

    static let tags: [(String, String)] = [
        ("service", "Liveness and version."),
        ("operator", "For operators, with the operator token."),
        ("members", "Your profile, tokens and follows."),
        ("communities", "Communities and membership: join, request, invite, assign, roles."),
        ("content", "Posts, comments, reactions, accepted answers, pins."),
        ("learning", "Learning events: scheduling, RSVPs, attendance."),
        ("mentoring", "Mentoring offers, requests and links."),
        ("devices", "Device keys for signed sync."),
    ]

    static func pathParameter(_ name: String) -> JSONValue {
        [
            "name": .string(name), "in": "path", "required": true,
            "schema": ["type": "string", "pattern": "^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"],
        ]
    }

    static func reference(_ name: String) -> JSONValue { ["$ref": .string("#/components/responses/\(name)")] }

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
        Up to `limit` events with positions from `from` on. Start at `from=1` and repeat with
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

    static let components: JSONValue = [
        "securitySchemes": [
            "memberToken": ["type": "http", "scheme": "bearer", "description": "A member's access token."],
            "operatorToken": ["type": "http", "scheme": "bearer", "description": "The operator token in `DATA/operator.token`."],
        ],
        "responses": [
            "InvalidRequest": errorResponse(
                "The request is malformed.",
                codes: [
                    "invalid_field", "invalid_parameter", "invalid_json", "duplicate_key", "invalid_utf8", "lone_surrogate",
                    "number_out_of_range", "nesting_too_deep", "self_mentoring", "not_a_question",
                ]),
            "Unauthorized": errorResponse(
                "Credentials are missing or wrong; carries `WWW-Authenticate`.", codes: ["unauthorized"],
                headers: ["WWW-Authenticate": ["schema": ["type": "string"]]]),
            "Forbidden": errorResponse(
                "The caller may see the thing but not do this.",
                codes: ["forbidden", "not_member", "member_deactivated", "guest_not_allowed"]),
            "NotFound": errorResponse("Nothing the caller may know of is here.", codes: ["not_found"]),
            "Conflict": errorResponse(
                "The request clashes with the current state; reload and decide again.",
                codes: [
                    "already_member", "already_exists", "approval_required", "archived", "capacity_reached", "last_owner",
                    "invalid_state", "wrong_expected_version", "id_conflict",
                ]),
            "PayloadTooLarge": errorResponse("The body is over the limit.", codes: ["payload_too_large"]),
            "UnsupportedMediaType": errorResponse("The body is not `application/json`.", codes: ["unsupported_media_type"]),
            "Unavailable": errorResponse(
                "The log cannot be used right now; retry after `Retry-After` seconds.", codes: ["unavailable", "contention"],
                headers: ["Retry-After": ["schema": ["type": "integer"]]]),
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
            "RecordedEvent": [
                "description": "An event envelope as its author wrote it, plus what the store assigned.",
                "allOf": [
                    ["$ref": "events/envelope.schema.json"],
                    [
                        "type": "object", "required": ["position", "stream_version", "server_time", "hash"],
                        "properties": [
                            "position": ["type": "integer", "minimum": 1],
                            "stream_version": ["type": "integer", "minimum": 1],
                            "server_time": Timestamp.jsonSchema,
                            "hash": [
                                "type": "string", "pattern": "^[A-Za-z0-9_-]{43}$",
                                "description": "SHA-256 of the envelope's RFC 8785 bytes, unpadded base64url.",
                            ],
                        ],
                    ],
                ],
            ],
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
            "MintedToken": [
                "type": "object", "required": ["member", "token_id", "token"], "additionalProperties": false,
                "properties": ["member": uuid, "token_id": uuid, "token": ["type": "string", "pattern": "^[A-Za-z0-9_-]{43}$"]],
            ],
        ],
    ]
}
