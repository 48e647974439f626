public import PraxisDomain
public import PraxisProtocol
public import PraxisStore

/// One event a device pushed, with the command it stands for (see ``PushableEvents``).
public struct PushedCommand: Sendable {
    /// The device's signed event, stored verbatim when accepted.
    public let event: AuthoredEvent
    /// The command decided for it.
    public let command: any Command

    public init(event: AuthoredEvent, command: any Command) {
        self.event = event
        self.command = command
    }
}

/// What the domain said to one pushed event.
public enum PushDecision: Sendable {
    case accepted
    case rejected(Rejection)
}

/// What ``CommandService/executePushed(_:as:recordStream:recordCondition:record:)`` answers for one batch.
public typealias PushOutcome = (decisions: [PushDecision], recorded: [RecordedEvent])

/// One device's batch as handed to the command service.
struct PushRequest: Sendable {
    let pushed: [PushedCommand]
    let actor: Actor
    /// The stream the batch's record goes to (the device's), and the version it must be at.
    let recordStream: StreamName
    let recordCondition: ExpectedVersion
    let record: @Sendable ([PushDecision]) -> any DomainEvent

    /// The events the batch may append: its own and its record.
    var eventCount: Int { pushed.count + 1 }
}

/// A batch waiting in line, and how its pusher learns what became of it: the batch's outcome,
/// decided by the push that led, or the lead itself.
struct QueuedPush {
    enum Turn { case decided(Result<PushOutcome, CommandFailure>), lead }
    let request: PushRequest
    let resume: CheckedContinuation<Turn, Never>
}

extension CommandService {
    /// Most events one group of batches appends together (the store takes 1,000 in one append).
    static var maximumGroupEvents: Int { 1_000 }

    /// Decides a device's pushed events in order, each seeing the ones accepted before it (a post,
    /// then a comment on it), and appends the accepted events — the device's own signed bytes —
    /// together with `record` (built from the decisions, appended to `recordStream` on condition
    /// `recordCondition`) in one atomic append.
    ///
    /// Batches pushed while another is being decided wait in line; the next in line then decides
    /// itself and everything waiting behind it in one turn — each batch seeing the ones before it
    /// — and appends them in one transaction (group commit): one write, `fsync`, signed tree head
    /// and catch-up of the read models for all of them. Two batches of one device never go in one
    /// group, and when a group's append fails, its batches are decided and appended again one by
    /// one, so no batch fails for another's sake.
    ///
    /// An event is accepted only when deciding its command gives exactly that event: the same
    /// stream, type and (upcast) payload. Anything else is `decision_mismatch`, with the event the
    /// server would have written in the message, so a client can rebase.
    ///
    /// A version conflict (another process or node wrote meanwhile) is thrown as a storage failure
    /// with code `wrong_expected_version`: the caller looks again whether the batch was answered
    /// meanwhile, and if not calls again.
    public func executePushed(
        _ pushed: [PushedCommand], as actor: Actor, recordStream: StreamName, recordCondition: ExpectedVersion,
        record: @escaping @Sendable ([PushDecision]) -> any DomainEvent
    ) async throws(CommandFailure) -> PushOutcome {
        let request = PushRequest(
            pushed: pushed, actor: actor, recordStream: recordStream, recordCondition: recordCondition, record: record)
        if pushHasLeader {
            let turn = await withCheckedContinuation { queuedPushes.append(QueuedPush(request: request, resume: $0)) }
            if case .decided(let outcome) = turn { return try outcome.get() }
        }
        pushHasLeader = true
        await takeTurn()
        let followers = takeQueuedPushes(joining: request)
        let outcomes = await decideGroup([request] + followers.map(\.request))
        endTurn()
        for (follower, outcome) in zip(followers, outcomes.dropFirst()) { follower.resume.resume(returning: .decided(outcome)) }
        if queuedPushes.isEmpty {
            pushHasLeader = false
        } else {
            queuedPushes.removeFirst().resume.resume(returning: .lead)
        }
        return try outcomes[0].get()
    }

    /// The waiting batches that join `leader`'s group, in arrival order: up to
    /// ``maximumGroupEvents`` events, at most one batch per device. Each batch's record is appended
    /// on condition of the device stream's version read before it was decided; two of one device
    /// in one append would pass a single check on that version, so a device's later batch waits
    /// for the next group.
    private func takeQueuedPushes(joining leader: PushRequest) -> [QueuedPush] {
        var devices: Set<StreamName> = [leader.recordStream]
        var events = leader.eventCount
        var joining: [QueuedPush] = []
        var staying: [QueuedPush] = []
        for queued in queuedPushes {
            if events + queued.request.eventCount <= Self.maximumGroupEvents,
                devices.insert(queued.request.recordStream).inserted
            {
                joining.append(queued)
                events += queued.request.eventCount
            } else {
                staying.append(queued)
            }
        }
        queuedPushes = staying
        return joining
    }

    /// Each request's outcome: the group decided and appended together, or, when that fails and
    /// there is more than one, each request again on its own.
    private func decideGroup(_ requests: [PushRequest]) async -> [Result<PushOutcome, CommandFailure>] {
        do throws(CommandFailure) {
            return try await decideAndAppend(requests).map { .success($0) }
        } catch {
            guard requests.count > 1 else { return [.failure(error)] }
        }
        var outcomes: [Result<PushOutcome, CommandFailure>] = []
        for request in requests {
            do throws(CommandFailure) {
                outcomes.append(.success(try await decideAndAppend([request])[0]))
            } catch {
                outcomes.append(.failure(error))
            }
        }
        return outcomes
    }

    /// Decides `requests` in order, each seeing the events accepted before it, and appends all
    /// their accepted events and records in one append; returns each request's decisions and
    /// recorded events.
    private func decideAndAppend(_ requests: [PushRequest]) async throws(CommandFailure) -> [PushOutcome] {
        var overlay: [StreamName: [any DomainEvent]] = [:]
        var conditions: [StreamName: ExpectedVersion] = [:]
        var readThisTurn: [StreamName: StreamCache.Entry] = [:]
        var events: [AuthoredEvent] = []
        var decided: [(decisions: [PushDecision], appended: Int)] = []
        let now = clock()
        for request in requests {
            var decisions: [PushDecision] = []
            var accepted = 0
            for item in request.pushed {
                let loaded = try await load(
                    item.command, actor: request.actor, overlay: overlay, readThisTurn: &readThisTurn)
                // The first version read of a stream is the one the whole group was decided on.
                conditions.merge(loaded.conditions) { first, _ in first }
                switch Self.decide(item, input: DecisionInput(now: now, streams: loaded.streams), actor: request.actor) {
                case .success(let event):
                    overlay[item.event.envelope.stream, default: []].append(event)
                    events.append(item.event)
                    accepted += 1
                    decisions.append(.accepted)
                case .failure(let rejection):
                    decisions.append(.rejected(rejection))
                }
            }
            conditions[request.recordStream] = request.recordCondition
            events.append(
                envelope(for: PendingEvent(request.recordStream, request.record(decisions)), actor: request.actor, now: now))
            decided.append((decisions, accepted + 1))
        }
        let recorded: [RecordedEvent]
        do {
            recorded = try await store.append(events, conditions: conditions).events
        } catch {
            throw .storage(error)
        }
        var start = 0
        return decided.map { decisions, appended in
            defer { start += appended }
            return (decisions, Array(recorded.dropFirst(start).prefix(appended)))
        }
    }

    private static func decide(_ item: PushedCommand, input: DecisionInput, actor: Actor) -> Result<any DomainEvent, Rejection> {
        let envelope = item.event.envelope
        let pending: [PendingEvent]
        do {
            pending = try item.command.decide(input, actor: actor)
        } catch {
            return .failure(error)
        }
        guard pending.count == 1, let decided = pending.first, decided.stream == envelope.stream,
            Swift.type(of: decided.event).type == envelope.type.rawValue
        else {
            let summary = pending.map { "\(Swift.type(of: $0.event).type) in \($0.stream)" }.joined(separator: ", ")
            return .failure(
                Rejection(.decisionMismatch, "this command decides [\(summary)], not this \(envelope.type) in \(envelope.stream)")
            )
        }
        let expected = EventCoding.payload(of: decided.event)
        let given: [String: JSONValue]?
        do { given = try EventRegistry.currentPayload(of: envelope) } catch { given = nil }
        guard given == expected else {
            let bytes = String(decoding: CanonicalJSON.encode(.object(expected)), as: UTF8.self)
            return .failure(Rejection(.decisionMismatch, "the server decides this payload instead: \(bytes)"))
        }
        return .success(decided.event)
    }
}
