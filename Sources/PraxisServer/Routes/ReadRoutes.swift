import HTTPTypes
import Hummingbird
import PraxisDomain
import PraxisProjections
import PraxisProtocol
import PraxisStore

/// Members' reads from the projections. Every answer carries `Praxis-Position` (the log position
/// the read models reflect); `min_position` waits up to five seconds for them to reach a position
/// the client has written, so it reads its own writes.
struct ReadRoutes<Store: EventStore> {
    static var positionHeader: HTTPField.Name { HTTPField.Name("Praxis-Position")! }
    static var maximumWait: Duration { .seconds(5) }

    let backend: PraxisBackend<Store>
    let clock: @Sendable () -> Timestamp

    func register(on v1: RouterGroup<PraxisRequestContext>) {
        let queries = ReadModelQueries(readModels: backend.readModels)
        v1.get("/me/feed") { request, context in
            guard let reader = context.member else { throw APIError.unauthorized }
            let (cursor, limit) = try Self.paging(request)
            try await waitIfAsked(request, for: ["community_roster", "home_feed"])
            return Self.respond(try await queries.homeFeed(for: reader, now: clock(), cursor: cursor, limit: limit))
        }
        v1.get("/me/notifications") { request, context in
            guard let reader = context.member else { throw APIError.unauthorized }
            let (cursor, limit) = try Self.paging(request)
            let unread = try Self.flag(request.uri.queryParameters["unread"].map(String.init), name: "unread")
            try await waitIfAsked(request, for: ["community_roster", "notifications"])
            return Self.respond(try await queries.notifications(for: reader, unreadOnly: unread, cursor: cursor, limit: limit))
        }
        v1.get("/search") { request, context in
            guard let reader = context.member else { throw APIError.unauthorized }
            let (cursor, limit) = try Self.paging(request)
            guard let text = request.uri.queryParameters["q"].map(String.init), (1...500).contains(text.count) else {
                throw APIError.invalidParameter("q", "must be 1 to 500 characters")
            }
            try await waitIfAsked(request, for: ["community_roster", "search"])
            return Self.respond(try await queries.search(text, for: reader, cursor: cursor, limit: limit))
        }
        v1.get("/me/mentoring") { request, context in
            guard let reader = context.member else { throw APIError.unauthorized }
            try await waitIfAsked(request, for: ["community_roster", "mentoring_links"])
            return Self.respond(try await queries.mentoring(of: reader))
        }
        v1.get("/mentoring/offers") { request, context in
            guard let reader = context.member else { throw APIError.unauthorized }
            let (cursor, limit) = try Self.paging(request)
            let topic = request.uri.queryParameters["topic"].map(String.init)
            if let topic, !(1...100).contains(topic.count) {
                throw APIError.invalidParameter("topic", "must be 1 to 100 characters")
            }
            try await waitIfAsked(request, for: ["community_roster", "mentoring_links"])
            return Self.respond(try await queries.mentoringOffers(for: reader, topic: topic, cursor: cursor, limit: limit))
        }
        v1.get("/communities/{community}/learning-events") { request, context in
            let (reader, community, cursor, limit) = try Self.common(request, context)
            let upcoming = try Self.flag(request.uri.queryParameters["upcoming"].map(String.init), name: "upcoming")
            try await waitIfAsked(request, for: ["community_roster", "insights"])
            let page = try await queries.learningEvents(
                in: community, from: backend.store, for: reader, upcoming: upcoming, now: clock(), cursor: cursor, limit: limit)
            return Self.respond(page)
        }
        v1.get("/communities/{community}/mentoring") { request, context in
            let (reader, community, cursor, limit) = try Self.common(request, context)
            try await waitIfAsked(request, for: ["community_roster", "mentoring_links"])
            return Self.respond(try await queries.mentoring(in: community, for: reader, cursor: cursor, limit: limit))
        }
        v1.get("/communities/{community}/members") { request, context in
            let (reader, community, cursor, limit) = try Self.common(request, context)
            try await waitIfAsked(request, for: ["community_roster"])
            let page = try await queries.roster(of: community, for: reader, cursor: cursor, limit: limit)
            return Self.respond(page)
        }
        v1.get("/me") { request, context in
            guard let reader = context.member else { throw APIError.unauthorized }
            try await waitIfAsked(request, for: ["community_roster"])
            return Self.respond(try await queries.profile(of: reader, in: backend.store, for: reader))
        }
        v1.get("/members") { request, context in
            guard let reader = context.member else { throw APIError.unauthorized }
            let members = try Self.identifiers("ids", request, maximum: 100) as [MemberID]
            try await waitIfAsked(request, for: ["community_roster"])
            let found = try await queries.profiles(of: members, in: backend.store, for: reader)
            var page = Page(items: found.items, nextCursor: nil, position: found.position)
            page.setExtra("missing", .array(found.missing.map { .string($0.description) }))
            return Self.respond(page)
        }
        v1.get("/members/{member}") { request, context in
            guard let reader = context.member else { throw APIError.unauthorized }
            let member: MemberID = try Self.identifier("member", context)
            try await waitIfAsked(request, for: ["community_roster"])
            return Self.respond(try await queries.profile(of: member, in: backend.store, for: reader))
        }
        v1.get("/communities") { request, context in
            guard let reader = context.member else { throw APIError.unauthorized }
            let (cursor, limit) = try Self.paging(request)
            let query = request.uri.queryParameters
            let kind: CommunityKind? = try Self.choice(query["kind"].map(String.init), name: "kind")
            let mine = try Self.flag(query["mine"].map(String.init), name: "mine")
            let named = query["name"].map(String.init)
            if let named, !(1...100).contains(named.count) {
                throw APIError.invalidParameter("name", "must be 1 to 100 characters")
            }
            try await waitIfAsked(request, for: ["community_roster"])
            return Self.respond(
                try await queries.communities(
                    for: reader, kind: kind, mine: mine, named: named, cursor: cursor, limit: limit))
        }
        v1.get("/communities/{community}") { request, context in
            guard let reader = context.member else { throw APIError.unauthorized }
            let community: CommunityID = try Self.identifier("community", context)
            try await waitIfAsked(request, for: ["community_roster"])
            return Self.respond(try await queries.community(community, in: backend.store, for: reader))
        }
        v1.get("/posts/{post}") { request, context in
            guard let reader = context.member else { throw APIError.unauthorized }
            let post: PostID = try Self.identifier("post", context)
            let (cursor, limit) = try Self.paging(request)
            try await waitIfAsked(request, for: ["community_roster"])
            let page = try await queries.thread(
                post, in: backend.store, for: reader, now: clock(), cursor: cursor, limit: limit)
            return Self.respond(page)
        }
        v1.get("/communities/{community}/posts") { request, context in
            let (reader, community, cursor, limit) = try Self.common(request, context)
            let query = request.uri.queryParameters
            let kind: PostKind? = try Self.choice(query["kind"].map(String.init), name: "kind")
            let unanswered = try Self.flag(query["unanswered"].map(String.init), name: "unanswered")
            try await waitIfAsked(request, for: ["community_roster", "community_feed"])
            let page = try await queries.feed(
                of: community, for: reader, kind: kind, unanswered: unanswered, cursor: cursor, limit: limit)
            return Self.respond(page)
        }
    }

    private func waitIfAsked(_ request: Request, for names: [String]) async throws {
        try await Self.waitIfAsked(request, backend: backend, for: names)
    }

    /// Waits, when the request has `min_position`, for the read models `names` to reach it. A
    /// position beyond the log's head was never written (by any node): `400`, not a wait.
    static func waitIfAsked(_ request: Request, backend: PraxisBackend<Store>, for names: [String]) async throws {
        guard let text = request.uri.queryParameters["min_position"] else { return }
        let wanted = try LogRoutes<Store>.integer(String(text), name: "min_position", default: 0, in: 0...Int64.max)
        let head = try await backend.store.head()
        guard wanted <= head.value else {
            throw APIError.invalidParameter("min_position", "\(wanted) is beyond the log's head (\(head))")
        }
        let reached = try await backend.engine.wait(for: names, toReach: LogPosition(wanted), timeout: Self.maximumWait)
        guard reached.value >= wanted else {
            var error = APIError(
                .serviceUnavailable, code: "projection_behind",
                "the read models are at position \(reached), not yet at \(wanted); retry shortly")
            error.headers[.retryAfter] = "1"
            throw error
        }
    }

    /// An object's answer, with the position that decided who may see it.
    static func respond(_ object: ReadObject) -> Response {
        var response = JSONResponse(object.json).response()
        response.headers[positionHeader] = String(object.position.value)
        return response
    }

    /// The page's answer, `{"items":[…],"next_cursor":…,"position":…}` and its extra sections,
    /// written from the page's canonical bytes.
    static func respond(_ page: Page) -> Response {
        var body = EncodedObject(["position": .number(Double(page.position.value))])
        body.set("items", encoded: CanonicalJSON.array(encoded: page.items))
        if let next = page.nextCursor { body.set("next_cursor", .string(next)) }
        for (name, bytes) in page.extra { body.set(name, encoded: bytes) }
        var response = JSONResponse(encoded: body.bytes).response()
        response.headers[positionHeader] = String(page.position.value)
        return response
    }
}
