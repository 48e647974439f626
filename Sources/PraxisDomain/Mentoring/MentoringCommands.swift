public import PraxisProtocol

/// Internal members: offer mentoring on topics, for up to `capacity` mentees at a time (1–20).
/// Offering again updates the offer; the capacity cannot drop below the current mentees.
public struct OfferMentoring: Command, Decodable {
    public var topics: [String]
    public var capacity: Int

    public init(topics: [String], capacity: Int) {
        self.topics = topics
        self.capacity = capacity
    }

    public func streams(_ input: DecisionInput, actor: Actor) -> [StreamName] { actor.member.map { [$0.mentorStream] } ?? [] }

    public func decide(_ input: DecisionInput, actor: Actor) throws(Rejection) -> [PendingEvent] {
        let me = try input.activeMember(actor)
        guard !me.isExternal else { throw Rejection(.forbidden, "guests cannot offer mentoring") }
        guard (1...20).contains(capacity) else { throw .invalidField("capacity", "must be from 1 to 20") }
        let current = input.mentor(me.id)
        guard capacity >= current?.mentees.count ?? 0 else {
            throw .invalidField("capacity", "must not be below your \(current?.mentees.count ?? 0) current mentees")
        }
        let event = MentoringOffered(mentor: me.id, topics: try TextRules.tags(topics, field: "topics"), capacity: capacity)
        return [PendingEvent(me.id.mentorStream, event)]
    }
}

/// Withdraw one's mentoring offer; current mentoring links go on.
public struct WithdrawMentoringOffer: Command, Decodable {
    public init() {}

    public func streams(_ input: DecisionInput, actor: Actor) -> [StreamName] { actor.member.map { [$0.mentorStream] } ?? [] }

    public func decide(_ input: DecisionInput, actor: Actor) throws(Rejection) -> [PendingEvent] {
        let me = try input.activeMember(actor)
        guard input.mentor(me.id)?.isOffering == true else { throw Rejection(.invalidState, "you offer no mentoring") }
        return [PendingEvent(me.id.mentorStream, MentoringOfferWithdrawn(mentor: me.id))]
    }
}

/// Ask a named mentor (who must be offering), or ask openly within a community one belongs to.
public struct RequestMentoring: Command, Decodable {
    public var mentoring: MentoringID
    public var mentor: MemberID?
    public var community: CommunityID?
    public var topics: [String]?
    public var message: String?

    public init(
        mentoring: MentoringID, mentor: MemberID? = nil, community: CommunityID? = nil, topics: [String]? = nil,
        message: String? = nil
    ) {
        self.mentoring = mentoring
        self.mentor = mentor
        self.community = community
        self.topics = topics
        self.message = message
    }

    public func streams(_ input: DecisionInput, actor: Actor) -> [StreamName] {
        [mentoring.stream] + (mentor.map { [$0.stream, $0.mentorStream] } ?? []) + (community.map { [$0.stream] } ?? [])
    }

    public func decide(_ input: DecisionInput, actor: Actor) throws(Rejection) -> [PendingEvent] {
        let me = try input.activeMember(actor)
        guard input.mentoring(mentoring) == nil else { throw Rejection(.alreadyExists, "mentoring \(mentoring) exists") }
        switch (mentor, community) {
        case (let mentor?, nil):
            guard mentor != me.id else { throw Rejection(.selfMentoring, "nobody mentors themself") }
            guard let person = input.member(mentor), person.isActive, input.mentor(mentor)?.isOffering == true else {
                throw Rejection(.invalidState, "\(mentor) does not offer mentoring")
            }
        case (nil, let community?):
            _ = try input.membership(of: me, in: try input.visibleCommunity(community, to: me))
        default:
            throw .invalidField("mentor", "name either a mentor or a community, not both or neither")
        }
        let event = MentoringRequested(
            mentoring: mentoring, mentee: me.id, mentor: mentor, community: community,
            topics: try TextRules.tags(topics ?? [], field: "topics"),
            message: try TextRules.body(message ?? "", field: "message", maximumLength: 2000, required: false))
        return [PendingEvent(mentoring.stream, event)]
    }
}

/// A mentor answers a request: the named mentor, or for an open request any member of its
/// community who offers mentoring. Accepting takes one place of the mentor's capacity.
public struct RespondToMentoringRequest: Command, Decodable {
    public var mentoring: MentoringID
    public var accept: Bool
    public var message: String?

    public init(mentoring: MentoringID, accept: Bool, message: String? = nil) {
        self.mentoring = mentoring
        self.accept = accept
        self.message = message
    }

    public func streams(_ input: DecisionInput, actor: Actor) -> [StreamName] {
        [mentoring.stream] + (actor.member.map { [$0.mentorStream] } ?? [])
            + (input.mentoring(mentoring)?.community.map { [$0.stream] } ?? [])
    }

    public func decide(_ input: DecisionInput, actor: Actor) throws(Rejection) -> [PendingEvent] {
        let me = try input.activeMember(actor)
        guard let link = input.mentoring(mentoring) else { throw Rejection(.notFound, "no mentoring \(mentoring)") }
        if let named = link.mentor {
            guard named == me.id else { throw Rejection(.notFound, "no mentoring request \(mentoring) for you") }
        } else {
            guard let id = link.community, let community = input.community(id), community.isVisible(to: me),
                community.members[me.id] != nil
            else { throw Rejection(.notFound, "no mentoring request \(mentoring) for you") }
            guard accept else { throw Rejection(.invalidState, "an open request is declined by not accepting it") }
        }
        guard link.mentee != me.id else { throw Rejection(.selfMentoring, "nobody mentors themself") }
        guard link.status == .requested else { throw Rejection(.invalidState, "the request is \(link.status.rawValue)") }
        guard accept else {
            let text = try TextRules.body(message ?? "", field: "message", maximumLength: 2000, required: false)
            return [PendingEvent(mentoring.stream, MentoringDeclined(mentoring: mentoring, mentor: me.id, message: text))]
        }
        guard let offer = input.mentor(me.id), offer.isOffering else {
            throw Rejection(.invalidState, "offer mentoring before accepting mentees")
        }
        guard offer.mentees.count < offer.capacity else {
            throw Rejection(.capacityReached, "you already mentor \(offer.capacity) members, your capacity")
        }
        return [
            PendingEvent(mentoring.stream, MentoringAccepted(mentoring: mentoring, mentor: me.id)),
            PendingEvent(me.id.mentorStream, MenteeTakenOn(mentor: me.id, mentoring: mentoring, mentee: link.mentee)),
        ]
    }
}

/// Mentor or mentee of an active link: log a session (1–600 minutes, not in the future).
public struct LogMentoringSession: Command, Decodable {
    public var mentoring: MentoringID
    public var date: Timestamp
    public var durationMinutes: Int

    public init(mentoring: MentoringID, date: Timestamp, durationMinutes: Int) {
        self.mentoring = mentoring
        self.date = date
        self.durationMinutes = durationMinutes
    }

    public func streams(_ input: DecisionInput, actor: Actor) -> [StreamName] { [mentoring.stream] }

    public func decide(_ input: DecisionInput, actor: Actor) throws(Rejection) -> [PendingEvent] {
        let me = try input.activeMember(actor)
        _ = try MentoringRules.activeLink(mentoring, for: me, input)
        guard (1...600).contains(durationMinutes) else { throw .invalidField("duration_minutes", "must be from 1 to 600") }
        guard date <= input.now else { throw .invalidField("date", "must not be in the future") }
        let event = MentoringSessionLogged(mentoring: mentoring, date: date, durationMinutes: durationMinutes, loggedBy: me.id)
        return [PendingEvent(mentoring.stream, event)]
    }
}

/// Mentor or mentee of an active link: record a goal.
public struct SetMentoringGoal: Command, Decodable {
    public var mentoring: MentoringID
    public var goal: String

    public init(mentoring: MentoringID, goal: String) {
        self.mentoring = mentoring
        self.goal = goal
    }

    public func streams(_ input: DecisionInput, actor: Actor) -> [StreamName] { [mentoring.stream] }

    public func decide(_ input: DecisionInput, actor: Actor) throws(Rejection) -> [PendingEvent] {
        let me = try input.activeMember(actor)
        _ = try MentoringRules.activeLink(mentoring, for: me, input)
        let goal = try TextRules.line(goal, field: "goal", maximumLength: 500)
        return [PendingEvent(mentoring.stream, MentoringGoalSet(mentoring: mentoring, goal: goal, setBy: me.id))]
    }
}

/// Mentor or mentee: end an active link with an outcome (freeing the mentor's place), or — the
/// mentee — withdraw a request nobody has accepted yet.
public struct EndMentoring: Command, Decodable {
    public var mentoring: MentoringID
    public var outcome: MentoringOutcome

    public init(mentoring: MentoringID, outcome: MentoringOutcome) {
        self.mentoring = mentoring
        self.outcome = outcome
    }

    public func streams(_ input: DecisionInput, actor: Actor) -> [StreamName] {
        [mentoring.stream] + (input.mentoring(mentoring)?.mentor.map { [$0.mentorStream] } ?? [])
    }

    public func decide(_ input: DecisionInput, actor: Actor) throws(Rejection) -> [PendingEvent] {
        let me = try input.activeMember(actor)
        guard let link = input.mentoring(mentoring), link.mentee == me.id || link.mentor == me.id else {
            throw Rejection(.notFound, "no mentoring \(mentoring) of yours")
        }
        let ended = PendingEvent(mentoring.stream, MentoringEnded(mentoring: mentoring, outcome: outcome, endedBy: me.id))
        switch (link.status, outcome) {
        case (.requested, .withdrawn) where link.mentee == me.id:
            return [ended]
        case (.active, .completed), (.active, .discontinued):
            guard let mentor = link.mentor else { throw Rejection(.invalidState, "the link has no mentor") }
            return [ended, PendingEvent(mentor.mentorStream, MenteeReleased(mentor: mentor, mentoring: mentoring))]
        default:
            throw Rejection(.invalidState, "a \(link.status.rawValue) link cannot end as \(outcome.rawValue)")
        }
    }
}

enum MentoringRules {
    static func activeLink(_ id: MentoringID, for member: MemberState, _ input: DecisionInput) throws(Rejection)
        -> MentoringState
    {
        guard let link = input.mentoring(id), link.mentee == member.id || link.mentor == member.id else {
            throw Rejection(.notFound, "no mentoring \(id) of yours")
        }
        guard link.status == .active else { throw Rejection(.invalidState, "the mentoring link is \(link.status.rawValue)") }
        return link
    }
}
