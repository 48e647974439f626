public import PraxisProtocol

/// Who issues a command: a member, or an operator (through the CLI or an operator endpoint).
public enum Actor: Sendable, Hashable {
    case member(MemberID)
    case `operator`

    /// The member, when the actor is one.
    public var member: MemberID? {
        if case .member(let id) = self { return id }
        return nil
    }
}

/// A request to change something. It names the streams whose states it needs, then decides,
/// purely, which events follow — or why none may.
///
/// The application service calls ``streams(_:actor:)`` until it asks for nothing new (a command may need
/// a first state to know the next stream: a comment needs its post to know the community), loads
/// those streams, and calls ``decide(_:actor:)``.
public protocol Command: Sendable {
    /// The streams whose states the decision reads, given what is loaded so far. The actor's own
    /// member stream is always loaded as well.
    func streams(_ input: DecisionInput, actor: Actor) -> [StreamName]

    /// The events that follow from this command, or the rejection.
    func decide(_ input: DecisionInput, actor: Actor) throws(Rejection) -> [PendingEvent]
}

/// A state folded from one stream's events.
public protocol Aggregate: Sendable {
    /// The state after `event`; `nil` while the thing does not exist yet.
    static func evolve(_ state: Self?, _ event: any DomainEvent) -> Self?
}

extension Aggregate {
    /// The state after all of `events`.
    public static func fold(_ events: [any DomainEvent]) -> Self? {
        events.reduce(nil) { evolve($0, $1) }
    }
}

/// The loaded streams a decision reads, and the time it is made.
public struct DecisionInput: Sendable {
    /// The decision's time: the server's clock, passed in.
    public let now: Timestamp
    /// Each loaded stream, with the states already folded from it.
    public let streams: [StreamName: LoadedStream]

    public init(now: Timestamp, streams: [StreamName: LoadedStream]) {
        self.now = now
        self.streams = streams
    }

    /// The decoded events of `stream`; none when it was not loaded or does not exist.
    public func events(of stream: StreamName) -> [any DomainEvent] {
        streams[stream]?.events ?? []
    }

    /// The state of `stream`, folded as `type`.
    public func state<State: Aggregate>(_ type: State.Type, _ stream: StreamName) -> State? {
        streams[stream]?.state(type)
    }

    public func member(_ id: MemberID) -> MemberState? { state(MemberState.self, id.stream) }
    public func community(_ id: CommunityID) -> CommunityState? { state(CommunityState.self, id.stream) }
    public func post(_ id: PostID) -> PostState? { state(PostState.self, id.stream) }
    public func learningEvent(_ id: LearningEventID) -> LearningEventState? { state(LearningEventState.self, id.stream) }
    public func mentoring(_ id: MentoringID) -> MentoringState? { state(MentoringState.self, id.stream) }
    public func mentor(_ id: MemberID) -> MentorState? { state(MentorState.self, id.mentorStream) }
    public func device(_ id: DeviceID) -> DeviceState? { state(DeviceState.self, id.stream) }

    /// The acting member, who must exist and be active.
    public func activeMember(_ actor: Actor) throws(Rejection) -> MemberState {
        guard let id = actor.member, let member = member(id) else {
            throw Rejection(.forbidden, "this needs a member; operators cannot do it")
        }
        guard member.isActive else { throw Rejection(.memberDeactivated, "your account is deactivated") }
        return member
    }

    /// Passes only for an operator.
    public func requireOperator(_ actor: Actor) throws(Rejection) {
        guard actor == .operator else { throw Rejection(.forbidden, "only an operator may do this") }
    }
}
