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

extension CommandService {
    /// Decides a device's pushed events in order, each seeing the ones accepted before it (a post,
    /// then a comment on it), and appends the accepted events — the device's own signed bytes —
    /// together with `record` (built from the decisions) in one atomic append.
    ///
    /// An event is accepted only when deciding its command gives exactly that event: the same
    /// stream, type and (upcast) payload. Anything else is `decision_mismatch`, with the event the
    /// server would have written in the message, so a client can rebase.
    ///
    /// A version conflict (another process or node wrote meanwhile) is thrown as a storage failure
    /// with code `wrong_expected_version`: the caller looks again whether the batch was answered
    /// meanwhile, and if not calls again.
    public func executePushed(
        _ pushed: [PushedCommand], as actor: Actor, record: @Sendable ([PushDecision]) -> PendingEvent,
        recordCondition: ExpectedVersion
    ) async throws(CommandFailure) -> (decisions: [PushDecision], recorded: [RecordedEvent]) {
        await takeTurn()
        defer { endTurn() }
        var overlay: [StreamName: [any DomainEvent]] = [:]
        var conditions: [StreamName: ExpectedVersion] = [:]
        var decisions: [PushDecision] = []
        var accepted: [AuthoredEvent] = []
        var readThisTurn: [StreamName: StreamCache.Entry] = [:]
        let now = clock()
        for item in pushed {
            let loaded = try await load(item.command, actor: actor, overlay: overlay, readThisTurn: &readThisTurn)
            // The first version read of a stream is the one the whole batch was decided on.
            conditions.merge(loaded.conditions) { first, _ in first }
            switch Self.decide(item, input: DecisionInput(now: now, streams: loaded.streams), actor: actor) {
            case .success(let event):
                overlay[item.event.envelope.stream, default: []].append(event)
                accepted.append(item.event)
                decisions.append(.accepted)
            case .failure(let rejection):
                decisions.append(.rejected(rejection))
            }
        }
        let recordEvent = record(decisions)
        conditions[recordEvent.stream] = recordCondition
        let events = accepted + [envelope(for: recordEvent, actor: actor, now: now)]
        do {
            return (decisions, try await store.append(events, conditions: conditions).events)
        } catch {
            throw .storage(error)
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
