import PraxisProtocol

/// The delta-sync endpoints (`/v1/sync/…`) and their schemas in the OpenAPI document. The
/// protocol itself is specified in `Protocol/PROTOCOL.md`; these entries point there.
enum OpenAPISyncParts {
    static let signedHeaders: [JSONValue] = [
        header(SyncProtocol.Header.device, "The device id.", pattern: nil),
        header(SyncProtocol.Header.timestamp, "The device's clock, within 300 s of the server's.", pattern: nil),
        header(SyncProtocol.Header.nonce, "16–64 random bytes, base64url; never reused.", pattern: "^[A-Za-z0-9_-]{22,86}$"),
        header(
            SyncProtocol.Header.signature, "The device's signature over the request (PROTOCOL.md §3), base64url.",
            pattern: "^[A-Za-z0-9_-]{86}$"),
    ]

    static func header(_ name: String, _ description: String, pattern: String?) -> JSONValue {
        var schema: [String: JSONValue] = ["type": "string"]
        if let pattern { schema["pattern"] = .string(pattern) }
        return [
            "name": .string(name), "in": "header", "required": true, "description": .string(description),
            "schema": .object(schema),
        ]
    }

    static func json(_ schema: String) -> JSONValue {
        ["application/json": ["schema": ["$ref": .string("#/components/schemas/\(schema)")]]]
    }

    static let unauthenticated = OpenAPIParts.errorResponse(
        "The request is not signed by a valid device key.",
        codes: [
            "unauthenticated", "unknown_device", "device_revoked", "invalid_timestamp", "stale_request", "invalid_nonce",
            "bad_signature", "replayed_request", "unknown_key",
        ])

    static func operation(
        _ id: String, _ summary: String, signed: Bool, parameters: [JSONValue] = [], body: String? = nil,
        success: (String, String, String), errors: [String: JSONValue]
    ) -> JSONValue {
        var operation: [String: JSONValue] = [
            "tags": ["sync"], "operationId": .string(id), "summary": .string(summary),
            "description": "See Protocol/PROTOCOL.md.", "security": [],
            "parameters": .array((signed ? signedHeaders : []) + parameters),
        ]
        if let body { operation["requestBody"] = ["required": true, "content": json(body)] }
        var responses: [String: JSONValue] = [
            success.0: ["description": .string(success.1), "content": json(success.2)],
            "500": OpenAPIParts.reference("InternalError"), "503": OpenAPIParts.reference("Unavailable"),
            "415": OpenAPIParts.reference("UnsupportedMediaType"),
        ]
        if signed { responses["401"] = unauthenticated }
        for (status, response) in errors { responses[status] = response }
        operation["responses"] = .object(responses)
        return .object(operation)
    }

    static let badSyncRequest = OpenAPIParts.errorResponse(
        "The request is malformed.",
        codes: [
            "invalid_json", "non_canonical", "invalid_field", "invalid_parameter", "invalid_cursor", "version_not_supported",
            "device_mismatch", "duplicate_event_id", "unsigned_event", "not_readable",
        ])

    static let schemasParameter: JSONValue = [
        "name": "schemas", "in": "query", "required": false,
        "description":
            "TYPE:VERSION pairs (comma-separated) for types the client knows only up to VERSION: newer events come downcast or as placeholders (PROTOCOL.md §7); the handshake's pull_schemas.",
        "schema": ["type": "string", "pattern": "^([a-z][a-z0-9_]*:[0-9]+)(,[a-z][a-z0-9_]*:[0-9]+)*$"],
    ]

    static let paths: [String: JSONValue] = [
        "/v1/sync/handshake": [
            "post": operation(
                "post_sync_handshake", "Agree on the protocol version; learn the schema versions, limits and server key.",
                signed: false, body: "HandshakeRequest", success: ("200", "The server's choice.", "HandshakeAnswer"),
                errors: ["400": badSyncRequest])
        ],
        "/v1/sync/enroll": [
            "post": operation(
                "post_sync_enroll", "Enroll a device key with a one-time code from an operator.", signed: false,
                body: "EnrollRequest", success: ("201", "The device is enrolled.", "EnrollAnswer"),
                errors: [
                    "400": badSyncRequest,
                    "401": OpenAPIParts.errorResponse(
                        "The code is unknown, used or expired.", codes: ["invalid_enrollment_code"]),
                    "409": OpenAPIParts.reference("Conflict"),
                ])
        ],
        "/v1/sync/push": [
            "post": operation(
                "post_sync_push", "Push events written offline, each signed by the device; one answer per event.",
                signed: true, body: "PushBatch", success: ("200", "One result per event, signed.", "PushAnswer"),
                errors: [
                    "400": badSyncRequest,
                    "409": OpenAPIParts.errorResponse(
                        "The batch number clashes with an earlier batch.",
                        codes: ["batch_conflict", "batch_out_of_order", "wrong_expected_version"]),
                    "413": OpenAPIParts.errorResponse(
                        "Too many events or bytes.", codes: ["batch_too_large", "payload_too_large"]),
                ])
        ],
        "/v1/sync/pull": [
            "get": operation(
                "get_sync_pull", "The events this member may see since a cursor, with purge and backfill orders.",
                signed: true,
                parameters: [
                    [
                        "name": "cursor", "in": "query", "required": false,
                        "description":
                            "The `next_cursor` of the last page applied (at most 64,000 characters); leave out to start from scratch.",
                        "schema": ["type": "string"],
                    ],
                    OpenAPIParts.query("limit", "At most this many events (1–1000, default 100).", required: false),
                    schemasParameter,
                ],
                success: ("200", "One page, signed by the server.", "PullPage"),
                errors: [
                    "400": badSyncRequest,
                    "410": OpenAPIParts.errorResponse(
                        "The cursor is older than the server serves incrementally, was issued under another server key or names communities as this log does not; bootstrap (PROTOCOL.md §6.4).",
                        codes: ["cursor_too_old"]),
                    "413": OpenAPIParts.errorResponse(
                        "The communities the member may read do not fit in a pull cursor (48,000 bytes; PROTOCOL.md §9).",
                        codes: ["scope_too_large"]),
                ])
        ],
        "/v1/sync/backfill": [
            "get": operation(
                "get_sync_backfill", "A community's history up to a position, as a backfill order asks.", signed: true,
                parameters: [
                    [
                        "name": "community", "in": "query", "required": true, "description": "The community.",
                        "schema": OpenAPIParts.uuid,
                    ],
                    OpenAPIParts.query("through", "The order's `through` position.", minimum: 0),
                    OpenAPIParts.query("after", "The last page's `next_after` (default 0).", required: false, minimum: 0),
                    OpenAPIParts.query("limit", "At most this many events (1–1000, default 100).", required: false),
                    schemasParameter,
                ],
                success: ("200", "One page of the community's history, signed.", "BackfillPage"),
                errors: ["400": badSyncRequest])
        ],
        "/v1/sync/live": [
            "get": [
                "tags": ["sync"], "operationId": "get_sync_live", "security": [],
                "summary": "Server-sent events announcing new log positions this member may see; then pull.",
                "parameters": .array(signedHeaders),
                "responses": [
                    "200": [
                        "description": "`event: position` frames with `data: {\"head\": N}`; a comment every 15 s.",
                        "content": ["text/event-stream": ["schema": ["type": "string"]]],
                    ],
                    "401": unauthenticated, "500": OpenAPIParts.reference("InternalError"),
                    "503": OpenAPIParts.reference("Unavailable"),
                ],
            ]
        ],
        "/v1/operator/devices/invitations": [
            "post": [
                "tags": ["operator", "devices"], "operationId": "post_operator_devices_invitations",
                "summary": "A one-time enrollment code for a member's device (shown once; the log keeps its hash).",
                "security": [["operatorToken": []]],
                "requestBody": ["required": true, "content": json("DeviceInvitationRequest")],
                "responses": [
                    "201": ["description": "The code.", "content": json("DeviceInvitation")],
                    "400": OpenAPIParts.reference("InvalidRequest"), "401": OpenAPIParts.reference("Unauthorized"),
                    "404": OpenAPIParts.reference("NotFound"), "409": OpenAPIParts.reference("Conflict"),
                    "500": OpenAPIParts.reference("InternalError"),
                ],
            ]
        ],
    ]

    static let signature: JSONValue = [
        "type": "object", "required": ["algorithm", "key_id", "value"], "additionalProperties": false,
        "properties": [
            "algorithm": ["enum": ["ed25519", "es256"]], "key_id": ["type": "string"],
            "value": ["type": "string", "pattern": "^[A-Za-z0-9_-]{86}$"],
        ],
    ]

    static func object(_ required: [String], _ properties: [String: JSONValue], signed: Bool = false) -> JSONValue {
        var properties = properties
        if signed { properties["signature"] = ["$ref": "#/components/schemas/Signature"] }
        return [
            "type": "object", "additionalProperties": false,
            "required": .array((required + (signed ? ["signature"] : [])).map { .string($0) }),
            "properties": .object(properties),
        ]
    }

    static let integer: JSONValue = ["type": "integer", "minimum": 0]
    static let string: JSONValue = ["type": "string"]
    static let serverKey: JSONValue = object(
        ["algorithm", "key_id", "public_key"], ["algorithm": ["const": "ed25519"], "key_id": string, "public_key": string])
    static let pulledEvent: JSONValue = object(
        ["position", "stream_version", "server_time"],
        [
            "position": integer, "stream_version": integer, "server_time": string,
            "event": ["$ref": "events/envelope.schema.json"],
            "downcast": object(["schema_version", "payload"], ["schema_version": integer, "payload": ["type": "object"]]),
            "placeholder": object(
                ["id", "stream", "type", "schema_version", "hash"],
                ["id": string, "stream": string, "type": string, "schema_version": integer, "hash": string]),
        ])

    static let schemas: [String: JSONValue] = [
        "Signature": signature,
        "HandshakeRequest": [
            "type": "object", "required": ["protocols"],
            "properties": [
                "protocols": ["type": "array", "items": string, "minItems": 1],
                "event_schemas": ["type": "object", "additionalProperties": ["type": "array", "items": integer]],
            ],
        ],
        "HandshakeAnswer": object(
            ["protocol", "event_schemas", "pull_schemas", "limits", "server_key", "server_time"],
            [
                "protocol": string, "event_schemas": ["type": "object"], "pull_schemas": string, "limits": ["type": "object"],
                "server_key": serverKey, "server_time": string,
            ]),
        "EnrollRequest": [
            "type": "object", "required": ["code", "device", "algorithm", "public_key"],
            "properties": [
                "code": string, "device": OpenAPIParts.uuid, "algorithm": ["enum": ["ed25519", "es256"]],
                "public_key": string, "name": string,
            ],
        ],
        "EnrollAnswer": object(
            ["protocol", "device", "member", "server_key"],
            ["protocol": string, "device": OpenAPIParts.uuid, "member": OpenAPIParts.uuid, "server_key": serverKey]),
        "PushBatch": object(
            ["protocol", "device", "batch", "events"],
            [
                "protocol": string, "device": OpenAPIParts.uuid, "batch": ["type": "integer", "minimum": 1],
                "last_cursor": string,
                "events": [
                    "type": "array", "maxItems": .number(Double(SyncProtocol.maximumEventsPerBatch)),
                    "items": ["$ref": "events/envelope.schema.json"],
                ],
            ]),
        "Receipt": object(["event_hash", "position"], ["event_hash": string, "position": integer], signed: true),
        "PushResult": [
            "type": "object", "required": ["id", "status"], "additionalProperties": false,
            "properties": [
                "id": OpenAPIParts.uuid, "status": ["enum": ["accepted", "rejected", "duplicate"]], "position": integer,
                "receipt": ["$ref": "#/components/schemas/Receipt"], "code": string, "message": string,
            ],
        ],
        "PushAnswer": object(
            ["protocol", "device", "batch", "results"],
            [
                "protocol": string, "device": OpenAPIParts.uuid, "batch": integer,
                "results": ["type": "array", "items": ["$ref": "#/components/schemas/PushResult"]],
            ], signed: true),
        "PullPage": object(
            ["protocol", "events", "purge", "backfill", "next_cursor", "has_more", "head"],
            [
                "protocol": string, "events": ["type": "array", "items": pulledEvent],
                "purge": [
                    "type": "array",
                    "items": [
                        "type": "object", "required": ["kind"],
                        "properties": [
                            "kind": ["enum": ["community", "post", "comment"]], "community": OpenAPIParts.uuid,
                            "post": OpenAPIParts.uuid, "comment": OpenAPIParts.uuid,
                        ],
                    ],
                ],
                "backfill": [
                    "type": "array",
                    "items": object(["community", "through"], ["community": OpenAPIParts.uuid, "through": integer]),
                ],
                "next_cursor": string, "has_more": ["type": "boolean"], "head": integer,
            ], signed: true),
        "BackfillPage": object(
            ["protocol", "community", "through", "events", "next_after", "has_more"],
            [
                "protocol": string, "community": OpenAPIParts.uuid, "through": integer,
                "events": ["type": "array", "items": pulledEvent], "next_after": integer, "has_more": ["type": "boolean"],
            ], signed: true),
        "DeviceInvitationRequest": [
            "type": "object", "required": ["member"], "additionalProperties": false,
            "properties": [
                "member": OpenAPIParts.uuid,
                "valid_for_seconds": ["type": "integer", "minimum": 60, "maximum": 2_592_000, "default": 86_400],
            ],
        ],
        "DeviceInvitation": object(
            ["code", "member", "expires_at"], ["code": string, "member": OpenAPIParts.uuid, "expires_at": string]),
    ]
}
