public import Foundation
public import PraxisDomain
public import PraxisProtocol
public import PraxisStore

/// The application service: loads the streams a command needs, lets the domain decide, and
/// appends the outcome with an exact expected version for every stream it read, so a decision is
/// never made on stale state. On a version conflict (another process or node wrote meanwhile) it
/// waits a moment, loads again and decides again.
///
/// One service runs its commands one at a time, in arrival order: the log takes one writer at a
/// time anyway, and deciding in turn means commands of one process never invalidate each other.
///
/// ```swift
/// let service = CommandService(store: store)
/// let events = try await service.execute(JoinCommunity(community: id), as: .member(me))
/// ```
public actor CommandService<Store: EventStore> {
    /// How many times a command is decided again after a version conflict. Each retry waits a
    /// random 0–3 ms, the same at every attempt, so that a writer that lost once is not slower
    /// than its rivals the next time.
    public static var maximumAttempts: Int { 32 }

    let store: Store
    let clock: @Sendable () -> Timestamp
    var random: SplitMix64
    var cache = StreamCache()
    var isBusy = false
    var waiting: [CheckedContinuation<Void, Never>] = []
    /// Pushed batches waiting for the push that leads to decide them with its own.
    var queuedPushes: [QueuedPush] = []
    /// Whether a push is deciding; others queue behind it until it hands over.
    var pushHasLeader = false

    /// - Parameters:
    ///   - clock: the time decisions are made at (and event ids are stamped with).
    ///   - random: the source of event ids' random bits; pass a seeded generator for a
    ///     reproducible log.
    public init(
        store: Store, clock: @escaping @Sendable () -> Timestamp = { Timestamp(Date()) },
        random: SplitMix64 = SplitMix64()
    ) {
        self.store = store
        self.clock = clock
        self.random = random
    }

    /// Decides `command` for `actor` and appends the events that follow; returns them as recorded.
    @discardableResult
    public func execute(_ command: some Command, as actor: Actor) async throws(CommandFailure) -> [RecordedEvent] {
        await takeTurn()
        defer { endTurn() }
        for _ in 1...Self.maximumAttempts {
            let loaded = try await load(command, actor: actor)
            let now = clock()
            let pending: [PendingEvent]
            do {
                pending = try command.decide(DecisionInput(now: now, streams: loaded.streams), actor: actor)
            } catch {
                throw .rejected(error)
            }
            guard !pending.isEmpty else { return [] }
            let events = pending.map { envelope(for: $0, actor: actor, now: now) }
            do {
                return try await store.append(events, conditions: loaded.conditions).events
            } catch  where error.code == .wrongExpectedVersion {
                continue
            } catch {
                throw .storage(error)
            }
        }
        throw .contention("the streams kept changing; try again")
    }

    /// The states of `streams`, as a command would see them now.
    public func input(for streams: [StreamName]) async throws(CommandFailure) -> DecisionInput {
        var loaded: [StreamName: LoadedStream] = [:]
        for stream in streams { loaded[stream] = try await cachedStream(stream).stream }
        return DecisionInput(now: clock(), streams: loaded)
    }

    func takeTurn() async {
        guard isBusy else {
            isBusy = true
            return
        }
        await withCheckedContinuation { waiting.append($0) }
    }

    func endTurn() {
        if waiting.isEmpty {
            isBusy = false
        } else {
            waiting.removeFirst().resume()
        }
    }

    /// The streams `command` reads, each as the log has it, and each stream's version as its
    /// append condition.
    func load(_ command: some Command, actor: Actor) async throws(CommandFailure)
        -> (streams: [StreamName: LoadedStream], conditions: [StreamName: ExpectedVersion])
    {
        var readNow: [StreamName: StreamCache.Entry] = [:]
        return try await load(command, actor: actor, overlay: [:], readThisTurn: &readNow)
    }

    /// As ``load(_:actor:)``, with `overlay`'s events (a push batch's accepted ones) added after the
    /// stored ones, and streams in
    /// `readThisTurn` taken as they were read earlier in the same turn rather than read again:
    /// the batch is appended on the versions first read, so a later read could not change its fate.
    func load(
        _ command: some Command, actor: Actor, overlay: [StreamName: [any DomainEvent]],
        readThisTurn: inout [StreamName: StreamCache.Entry]
    ) async throws(CommandFailure)
        -> (streams: [StreamName: LoadedStream], conditions: [StreamName: ExpectedVersion])
    {
        var streams: [StreamName: LoadedStream] = [:]
        var conditions: [StreamName: ExpectedVersion] = [:]
        var wanted = Set(actor.member.map { [$0.stream] } ?? [])
        // A command may need a first state to know the next stream; a few rounds suffice.
        for _ in 0..<4 {
            wanted.formUnion(command.streams(DecisionInput(now: clock(), streams: streams), actor: actor))
            let missing = wanted.subtracting(streams.keys)
            if missing.isEmpty { break }
            for stream in missing.sorted() {
                let cached: StreamCache.Entry
                if let read = readThisTurn[stream] {
                    cached = read
                } else {
                    cached = try await cachedStream(stream)
                    readThisTurn[stream] = cached
                }
                streams[stream] = cached.stream.appending(overlay[stream] ?? [])
                conditions[stream] = cached.version == 0 ? .noStream : .exact(cached.version)
            }
        }
        return (streams, conditions)
    }

    /// The stream's decoded events, reading and folding only what the cache has not seen.
    func cachedStream(_ stream: StreamName) async throws(CommandFailure) -> StreamCache.Entry {
        var entry = cache.entry(for: stream)
        var fresh: [any DomainEvent] = []
        while true {
            let page: [RecordedEvent]
            do {
                page = try await store.readStream(stream, direction: .forward, from: entry.version + 1, limit: 1000)
            } catch {
                throw .storage(error)
            }
            for recorded in page {
                do {
                    if let event = try EventRegistry.decode(recorded.envelope) { fresh.append(event) }
                } catch {
                    throw .unreadableHistory("position \(recorded.position): \(error)")
                }
                entry.version = recorded.streamVersion
            }
            if page.count < 1000 { break }
        }
        entry.stream = entry.stream.appending(fresh)
        // Another task may have cached a later version meanwhile; keep whichever is further.
        cache.store(entry, for: stream)
        return entry
    }

    func envelope(for pending: PendingEvent, actor: Actor, now: Timestamp) -> AuthoredEvent {
        let type = Swift.type(of: pending.event)
        // Every registered event type name is snake_case, so it is a valid EventTypeName.
        let typeName = EventTypeName(type.type)!
        let envelope = EventEnvelope(
            id: UUID.version7(at: now, using: &random), stream: pending.stream, type: typeName,
            schemaVersion: type.schemaVersion, payload: EventCoding.payload(of: pending.event),
            metadata: EventMetadata(actor: actor.member?.uuid))
        return AuthoredEvent(envelope)
    }
}
