import PraxisDomain
import PraxisProtocol
import PraxisStore

extension ReadModelQueries {
    /// The most events of a stream read at once.
    static var streamReadPage: Int { 1_000 }

    /// `stream` read from `store` from its first event and folded with `evolve`, which gets each
    /// decoded event and the server time it was recorded at; `nil` for a stream without events.
    static func fold<Store: EventStore, State>(
        _ stream: StreamName, in store: Store, _ evolve: (State?, any DomainEvent, Timestamp) -> State?
    ) async throws -> State? {
        var state: State?
        var next: Int64 = 1
        while true {
            let events = try await store.readStream(stream, direction: .forward, from: next, limit: streamReadPage)
            for recorded in events {
                guard let event = try EventRegistry.decode(recorded.envelope) else { continue }
                state = evolve(state, event, recorded.serverTime)
            }
            guard events.count == streamReadPage, let last = events.last else { return state }
            next = last.streamVersion + 1
        }
    }
}
