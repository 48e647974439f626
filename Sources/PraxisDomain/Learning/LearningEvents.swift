public import PraxisProtocol

/// A member's answer to a learning event.
public enum RSVPResponse: String, WireEnum {
    case going, maybe, declined
}

/// A learning event was scheduled; its backchannel thread was created with it.
public struct LearningEventScheduled: DomainEvent {
    public static let type = "learning_event_scheduled"
    public static let schemaVersion: Int64 = 1
    public var learningEvent: LearningEventID
    public var community: CommunityID
    public var title: String
    public var description: String
    public var start: Timestamp
    public var end: Timestamp
    public var backchannel: PostID
    public var scheduledBy: MemberID
}

public struct LearningEventCancelled: DomainEvent {
    public static let type = "learning_event_cancelled"
    public static let schemaVersion: Int64 = 1
    public var learningEvent: LearningEventID
    public var cancelledBy: MemberID
}

public struct RSVPRecorded: DomainEvent {
    public static let type = "rsvp_recorded"
    public static let schemaVersion: Int64 = 1
    public var learningEvent: LearningEventID
    public var member: MemberID
    public var response: RSVPResponse
}

public struct AttendanceRecorded: DomainEvent {
    public static let type = "attendance_recorded"
    public static let schemaVersion: Int64 = 1
    public var learningEvent: LearningEventID
    public var attendees: [MemberID]
    public var recordedBy: MemberID
}

/// A learning event as its stream tells it.
public struct LearningEventState: Aggregate, Equatable {
    public let id: LearningEventID
    public let community: CommunityID
    public var start: Timestamp
    public var end: Timestamp
    public var backchannel: PostID
    public var isCancelled = false
    public var rsvps: [MemberID: RSVPResponse] = [:]
    public var attendees: Set<MemberID> = []

    public static func evolve(_ state: LearningEventState?, _ event: any DomainEvent) -> LearningEventState? {
        if let scheduled = event as? LearningEventScheduled {
            return LearningEventState(
                id: scheduled.learningEvent, community: scheduled.community, start: scheduled.start, end: scheduled.end,
                backchannel: scheduled.backchannel)
        }
        guard var state else { return nil }
        switch event {
        case is LearningEventCancelled: state.isCancelled = true
        case let event as RSVPRecorded: state.rsvps[event.member] = event.response
        case let event as AttendanceRecorded: state.attendees.formUnion(event.attendees)
        default: break
        }
        return state
    }
}

/// Owners and moderators: schedule a learning event; its backchannel thread is opened with it.
public struct ScheduleLearningEvent: Command, Decodable {
    /// The longest a learning event may last.
    public static let maximumDurationMilliseconds: Int64 = 14 * 24 * 3_600_000

    public var learningEvent: LearningEventID
    public var community: CommunityID
    public var title: String
    public var description: String?
    public var start: Timestamp
    public var end: Timestamp
    public var backchannel: PostID

    public init(
        learningEvent: LearningEventID, community: CommunityID, title: String, description: String? = nil,
        start: Timestamp, end: Timestamp, backchannel: PostID
    ) {
        self.learningEvent = learningEvent
        self.community = community
        self.title = title
        self.description = description
        self.start = start
        self.end = end
        self.backchannel = backchannel
    }

    public func streams(_ input: DecisionInput, actor: Actor) -> [StreamName] {
        [learningEvent.stream, community.stream, backchannel.stream]
    }

    public func decide(_ input: DecisionInput, actor: Actor) throws(Rejection) -> [PendingEvent] {
        let me = try input.activeMember(actor)
        let current = try input.visibleCommunity(community, to: me)
        _ = try input.moderation(by: me, in: current)
        try input.requireNotArchived(current)
        guard input.learningEvent(learningEvent) == nil, input.post(backchannel) == nil else {
            throw Rejection(.alreadyExists, "learning event \(learningEvent) or its backchannel already exists")
        }
        let title = try TextRules.line(title, field: "title", maximumLength: TextRules.maximumTitleLength)
        let description = try TextRules.body(description ?? "", field: "description", maximumLength: 5000, required: false)
        guard start > input.now else { throw .invalidField("start", "must be in the future") }
        guard end > start else { throw .invalidField("end", "must be after start") }
        guard end.millisecondsSinceEpoch - start.millisecondsSinceEpoch <= Self.maximumDurationMilliseconds else {
            throw .invalidField("end", "a learning event lasts at most 14 days")
        }
        let scheduled = LearningEventScheduled(
            learningEvent: learningEvent, community: community, title: title, description: description, start: start,
            end: end, backchannel: backchannel, scheduledBy: me.id)
        let thread = PostCreated(
            post: backchannel, community: community, author: me.id, kind: .discussion, title: "Backchannel: \(title)",
            body: description, link: nil, fileReference: nil, learningEvent: learningEvent, cites: [], mentions: [],
            tags: [])
        return [PendingEvent(learningEvent.stream, scheduled), PendingEvent(backchannel.stream, thread)]
    }
}

/// Owners and moderators: cancel a learning event that has not ended.
public struct CancelLearningEvent: Command, Decodable {
    public var learningEvent: LearningEventID

    public init(learningEvent: LearningEventID) { self.learningEvent = learningEvent }

    public func streams(_ input: DecisionInput, actor: Actor) -> [StreamName] { LearningRules.streams(learningEvent, input) }

    public func decide(_ input: DecisionInput, actor: Actor) throws(Rejection) -> [PendingEvent] {
        let me = try input.activeMember(actor)
        let (event, community) = try LearningRules.visible(learningEvent, to: me, input)
        _ = try input.moderation(by: me, in: community)
        guard !event.isCancelled else { throw Rejection(.invalidState, "the event is already cancelled") }
        guard event.end > input.now else { throw Rejection(.invalidState, "the event has ended") }
        return [PendingEvent(learningEvent.stream, LearningEventCancelled(learningEvent: learningEvent, cancelledBy: me.id))]
    }
}

/// Members of the community: answer going, maybe or declined, until the event ends.
public struct RSVP: Command, Decodable {
    public var learningEvent: LearningEventID
    public var response: RSVPResponse

    public init(learningEvent: LearningEventID, response: RSVPResponse) {
        self.learningEvent = learningEvent
        self.response = response
    }

    public func streams(_ input: DecisionInput, actor: Actor) -> [StreamName] { LearningRules.streams(learningEvent, input) }

    public func decide(_ input: DecisionInput, actor: Actor) throws(Rejection) -> [PendingEvent] {
        let me = try input.activeMember(actor)
        let (event, community) = try LearningRules.visible(learningEvent, to: me, input)
        _ = try input.membership(of: me, in: community)
        guard !event.isCancelled, event.end > input.now else {
            throw Rejection(.invalidState, "the event is cancelled or over")
        }
        guard event.rsvps[me.id] != response else { throw Rejection(.invalidState, "you already answered so") }
        return [PendingEvent(learningEvent.stream, RSVPRecorded(learningEvent: learningEvent, member: me.id, response: response))]
    }
}

/// Owners and moderators: record who attended, once the event has started.
public struct RecordAttendance: Command, Decodable {
    public var learningEvent: LearningEventID
    public var attendees: [MemberID]

    public init(learningEvent: LearningEventID, attendees: [MemberID]) {
        self.learningEvent = learningEvent
        self.attendees = attendees
    }

    public func streams(_ input: DecisionInput, actor: Actor) -> [StreamName] { LearningRules.streams(learningEvent, input) }

    public func decide(_ input: DecisionInput, actor: Actor) throws(Rejection) -> [PendingEvent] {
        let me = try input.activeMember(actor)
        let (event, community) = try LearningRules.visible(learningEvent, to: me, input)
        _ = try input.moderation(by: me, in: community)
        guard !event.isCancelled, event.start <= input.now else {
            throw Rejection(.invalidState, "attendance is recorded once a held event has started")
        }
        guard (1...1000).contains(attendees.count) else { throw .invalidField("attendees", "must name 1 to 1000 members") }
        guard attendees.allSatisfy({ community.members[$0] != nil }) else {
            throw .invalidField("attendees", "must all be members of the community")
        }
        let recorded = AttendanceRecorded(
            learningEvent: learningEvent, attendees: Array(Set(attendees)).sorted(), recordedBy: me.id)
        return [PendingEvent(learningEvent.stream, recorded)]
    }
}

enum LearningRules {
    static func streams(_ id: LearningEventID, _ input: DecisionInput) -> [StreamName] {
        [id.stream] + (input.learningEvent(id).map { [$0.community.stream] } ?? [])
    }

    static func visible(_ id: LearningEventID, to member: MemberState, _ input: DecisionInput) throws(Rejection)
        -> (LearningEventState, CommunityState)
    {
        guard let event = input.learningEvent(id), let community = input.community(event.community),
            community.isVisible(to: member)
        else { throw Rejection(.notFound, "no learning event \(id)") }
        return (event, community)
    }
}
