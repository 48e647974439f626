import Hummingbird
import PraxisProtocol
import PraxisStore

/// `GET /v1/log?from=&limit=`: the operator's paged read of the whole log, in position order.
struct LogRoutes<Store: EventStore> {
    /// Events per page when `limit` is not given.
    static var defaultLimit: Int { 100 }
    /// The largest `limit` accepted.
    static var maximumLimit: Int { 1000 }
    /// Most bytes of events (canonical envelopes) in one page: a page of large events ends early,
    /// at least one event long, rather than make an answer of hundreds of megabytes; `next_from`
    /// says where the next page starts either way.
    static var maximumPageBytes: Int { 4 << 20 }

    let store: Store

    func register(on group: RouterGroup<PraxisRequestContext>) {
        group.get("/log") { request, _ in
            let query = request.uri.queryParameters
            let from = try Self.integer(query["from"].map(String.init), name: "from", default: 1, in: 1...Int64.max)
            let limit = try Self.integer(
                query["limit"].map(String.init), name: "limit", default: Int64(Self.defaultLimit),
                in: 1...Int64(Self.maximumLimit))
            let events = try await Self.page(of: store, from: LogPosition(from), limit: Int(limit))
            let head = try await store.head()
            let next = events.last.map { $0.position.next } ?? LogPosition(max(from, head.value + 1))
            return JSONResponse([
                "events": .array(events.map(\.json)),
                "next_from": .number(Double(next.value)),
                "head": .number(Double(head.value)),
            ])
        }
    }

    /// Up to `limit` events from `from` on, and no more than ``maximumPageBytes`` of them (but at
    /// least one), read a hundred at a time so that a page ended early has not read the rest.
    static func page(of store: Store, from: LogPosition, limit: Int) async throws -> [RecordedEvent] {
        var events: [RecordedEvent] = []
        var bytes = 0
        var next = from
        while events.count < limit {
            let wanted = min(100, limit - events.count)
            let chunk = try await store.read(from: next, limit: wanted)
            for event in chunk {
                bytes += event.event.canonicalBytes.count
                if !events.isEmpty && bytes > maximumPageBytes { return events }
                events.append(event)
            }
            guard let last = chunk.last, chunk.count == wanted else { break }
            next = last.position.next
        }
        return events
    }

    /// The integer query parameter `name`; `default` when it is absent, or `invalid_parameter` when
    /// it is absent and has no default, or is not an integer in `range`.
    static func integer(_ text: String?, name: String, default value: Int64?, in range: ClosedRange<Int64>)
        throws(APIError) -> Int64
    {
        guard let text else {
            guard let value else { throw .invalidParameter(name, "is required") }
            return value
        }
        guard let number = Int64(text), range.contains(number) else {
            throw .invalidParameter(name, "must be an integer from \(range.lowerBound) to \(range.upperBound)")
        }
        return number
    }
}
