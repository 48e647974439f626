import PraxisProtocol

/// The OpenAPI parts of community value insights.
enum OpenAPIInsightsParts {
    static let parameters: [JSONValue] = [
        [
            "name": "period", "in": "query",
            "description":
                "The period: a number of days from 1 to 366 followed by `d`. Activity always reports 7, 28 and 90 days.",
            "schema": ["type": "string", "pattern": "^[0-9]{1,3}d$", "default": "28d"],
        ],
        [
            "name": "until", "in": "query",
            "description":
                "The period's end; by default the time of the last event the read model has applied, so the same log gives the same report.",
            "schema": ["type": "string", "format": "date-time"],
        ],
        [
            "name": "stale_days", "in": "query",
            "description": "Questions without an answer for longer than this are counted in `questions.unanswered_stale`.",
            "schema": ["type": "integer", "minimum": 1, "maximum": 366, "default": 7],
        ],
        [
            "name": "min_position", "in": "query", "description": "As for the other reads.",
            "schema": ["type": "integer", "minimum": 0],
        ],
    ]

    static let description = """
        Figures about a group of fewer members than the server's threshold (default 5) are `null`
        and their paths listed in `suppressed`. Member-level lists (`knowledge_flow.bridges.list`,
        `onboarding.mentor_load.by_mentor`) show everyone only to a community's owners; others see
        at most their own entry. Links (answers, accepted answers, comments, thanks) carry each side's
        region and department as they were when the link was made.
        """

    static let paths: [String: JSONValue] = [
        "/v1/communities/{community}/insights": [
            "get": [
                "tags": ["insights"], "operationId": "get_communities_community_insights",
                "summary":
                    "Does this community create value? Activity, knowledge flow, Q&A, onboarding, leaders, stories, learning.",
                "description": .string(description + "\nFor those who may read the community's content."),
                "parameters": .array([OpenAPIParts.pathParameter("community")] + parameters),
                "responses": OpenAPIParts.readResponses("InsightsReport"),
            ]
        ],
        "/v1/insights/org": [
            "get": [
                "tags": ["insights"], "operationId": "get_insights_org",
                "summary": "The same figures over every community of the organisation.",
                "description": .string(
                    description + "\nFor the organisation's own members (external guests get 403 `not_member`)."),
                "parameters": .array(parameters),
                "responses": OpenAPIParts.readResponses("InsightsReport"),
            ]
        ],
    ]

    /// A number, or `null` when suppressed or undefined (a rate over nothing).
    static let figure: JSONValue = ["type": ["number", "null"]]

    static func section(_ description: String, _ figures: [String], more: [String: JSONValue] = [:]) -> JSONValue {
        var properties: [String: JSONValue] = [:]
        for name in figures { properties[name] = figure }
        for (name, schema) in more { properties[name] = schema }
        return [
            "type": "object", "description": .string(description), "required": .array(figures.map(JSONValue.string)),
            "properties": .object(properties),
        ]
    }

    static let list: JSONValue = ["type": "array", "items": ["type": "object"]]

    static let schemas: [String: JSONValue] = [
        "InsightsReport": [
            "type": "object",
            "required": [
                "scope", "period", "minimum_group", "activity", "knowledge_flow", "questions", "onboarding", "leaders",
                "success_stories", "learning", "suppressed", "position",
            ],
            "properties": [
                "scope": [
                    "type": "object", "required": ["kind"],
                    "properties": [
                        "kind": ["enum": ["community", "organisation"]], "community": ["type": "string"],
                        "community_kind": ["enum": ["practice", "learning", "external"]],
                    ],
                ],
                "period": [
                    "type": "object", "required": ["days", "from", "until"],
                    "properties": [
                        "days": ["type": "integer"], "from": ["type": "string", "format": "date-time"],
                        "until": ["type": "string", "format": "date-time"],
                    ],
                ],
                "minimum_group": ["type": "integer"],
                "activity": section(
                    "Active members (posted, commented, reacted, attended) over 7, 28 and 90 days by membership origin; participation (active ÷ members); stickiness (mean daily active ÷ 28-day active); members whose first post falls in the period; contributors who had contributed before it.",
                    ["members", "stickiness", "new_contributors", "returning_contributors"],
                    more: [
                        "windows": [
                            "type": "array",
                            "items": [
                                "type": "object", "required": ["days", "active", "participation_rate", "by_origin"],
                                "properties": [
                                    "days": ["type": "integer"], "active": figure, "participation_rate": figure,
                                    "by_origin": [
                                        "type": "object",
                                        "properties": ["voluntary": figure, "invited": figure, "assigned": figure],
                                    ],
                                ],
                            ],
                        ],
                        "daily_active": ["type": ["array", "null"], "items": ["type": "object"]],
                    ]),
                "knowledge_flow": section(
                    "Answers, accepted answers, comments and thanks as links from the member who helped to the member helped.",
                    [
                        "links", "people", "crossing_region", "crossing_region_share", "crossing_department",
                        "crossing_department_share",
                    ],
                    more: [
                        "by_kind": ["type": "object", "additionalProperties": ["type": "integer"]],
                        "by_department": list, "by_region": list,
                        "bridges": [
                            "type": "object",
                            "description": "Members linked with two departments that have no direct link between them.",
                            "properties": ["members": ["type": "integer"], "list": list],
                        ],
                    ]),
                "questions": section(
                    "Questions asked in the period; hours are from the question to its first answer by someone else or to its accepted answer.",
                    [
                        "asked", "answered", "accepted", "answer_rate", "accepted_rate", "median_hours_to_first_answer",
                        "median_hours_to_accepted_answer", "stale_after_days", "unanswered_stale",
                    ],
                    more: ["hours_to_first_answer": ["type": ["array", "null"], "items": ["type": "number"]]]),
                "onboarding": section(
                    "Members who joined the community (or registered, for the organisation) in the period, mentored and not mentored; the mentoring funnel; mentor load at the period's end.",
                    ["newcomers"],
                    more: [
                        "mentored": ["type": "object"], "not_mentored": ["type": "object"], "funnel": list,
                        "mentor_load": ["type": "object"],
                    ]),
                "leaders": section(
                    "Senior leaders' and executives' replies, answers, accepted answers and thanks; median hours from a post to a leader's first reply; departments reached.",
                    [
                        "leaders", "active_leaders", "replies", "answers", "accepted_answers", "thanks_given",
                        "median_response_hours", "departments_reached", "crossing_department_share",
                    ]),
                "success_stories": section(
                    "Success stories posted in the period, their reactions, and how many cite the threads they came from (listed in a community's report).",
                    ["count", "reactions", "citing_threads"], more: ["stories": list]),
                "learning": section(
                    "Learning events in the period: RSVPs against attendance; assigned learners who went on to contribute where nobody assigned them.",
                    [
                        "events", "going", "attended", "attended_of_going", "attendance_rate", "assigned_learners",
                        "continued_voluntarily", "continued_share",
                    ]),
                "suppressed": ["type": "array", "items": ["type": "string"]],
                "position": ["type": "integer"],
            ],
        ]
    ]
}
