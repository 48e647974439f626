import Synchronization

/// One stream's decoded events as decisions see them, with every state folded from them kept: a
/// state is folded once per stream, then carried on over each new event instead of folded again
/// from the first one (a community's roster, a device's answered batches, grow with the log).
///
/// ```swift
/// let loaded = LoadedStream(events)
/// let community = loaded.state(CommunityState.self)      // folded now, then remembered
/// let later = loaded.appending([joined])                  // the roster carried over one event
/// ```
public final class LoadedStream: Sendable {
    /// The stream's events, in order.
    public let events: [any DomainEvent]
    private let folded: Mutex<[ObjectIdentifier: FoldedState]>

    /// A stream of `events`, nothing folded yet.
    public convenience init(_ events: [any DomainEvent]) {
        self.init(events, folded: [:])
    }

    private init(_ events: [any DomainEvent], folded: [ObjectIdentifier: FoldedState]) {
        self.events = events
        self.folded = Mutex(folded)
    }

    /// The state after all the events, as `State`: folded at the first call, remembered after.
    public func state<State: Aggregate>(_ type: State.Type) -> State? {
        let key = ObjectIdentifier(type)
        if let known = folded.withLock({ $0[key] }) { return known.value as? State }
        let state = State.fold(events)
        folded.withLock { $0[key] = FoldedState(state) }
        return state
    }

    /// These events followed by `more`, with every state folded so far carried on over `more`.
    public func appending(_ more: [any DomainEvent]) -> LoadedStream {
        guard !more.isEmpty else { return self }
        let carried = folded.withLock { $0 }.mapValues { $0.advanced(over: more) }
        return LoadedStream(events + more, folded: carried)
    }
}

/// A folded state without its type, and how to carry it on over further events.
private struct FoldedState: Sendable {
    let value: (any Sendable)?
    let evolve: @Sendable ((any Sendable)?, any DomainEvent) -> (any Sendable)?

    init<State: Aggregate>(_ state: State?) {
        value = state
        evolve = { state, event in State.evolve(state as? State, event) }
    }

    private init(value: (any Sendable)?, evolve: @escaping @Sendable ((any Sendable)?, any DomainEvent) -> (any Sendable)?) {
        self.value = value
        self.evolve = evolve
    }

    func advanced(over events: [any DomainEvent]) -> FoldedState {
        FoldedState(value: events.reduce(value, evolve), evolve: evolve)
    }
}
