public import PraxisProtocol

/// How a mentoring link ended.
public enum MentoringOutcome: String, WireEnum {
    /// The goals were met.
    case completed
    /// Stopped before the goals were met.
    case discontinued
    /// The mentee withdrew the request before anyone accepted it.
    case withdrawn
}

// MARK: The mentor's stream (`mentor/<member>`): the offer and the ledger of mentees, so that
// capacity is checked and taken in one atomic append.

/// A member offers (or updates their offer of) mentoring.
public struct MentoringOffered: DomainEvent {
    public static let type = "mentoring_offered"
    public static let schemaVersion: Int64 = 1
    public var mentor: MemberID
    public var topics: [String]
    public var capacity: Int
}

public struct MentoringOfferWithdrawn: DomainEvent {
    public static let type = "mentoring_offer_withdrawn"
    public static let schemaVersion: Int64 = 1
    public var mentor: MemberID
}

/// The mentor took on a mentee (one place of their capacity).
public struct MenteeTakenOn: DomainEvent {
    public static let type = "mentee_taken_on"
    public static let schemaVersion: Int64 = 1
    public var mentor: MemberID
    public var mentoring: MentoringID
    public var mentee: MemberID
}

/// A mentoring link ended; its place is free again.
public struct MenteeReleased: DomainEvent {
    public static let type = "mentee_released"
    public static let schemaVersion: Int64 = 1
    public var mentor: MemberID
    public var mentoring: MentoringID
}

// MARK: The link's stream (`mentoring/<id>`).

/// A mentee asks a named mentor, or asks openly within a community.
public struct MentoringRequested: DomainEvent {
    public static let type = "mentoring_requested"
    public static let schemaVersion: Int64 = 1
    public var mentoring: MentoringID
    public var mentee: MemberID
    public var mentor: MemberID?
    public var community: CommunityID?
    public var topics: [String]
    public var message: String
}

/// A mentor accepted; the link is active.
public struct MentoringAccepted: DomainEvent {
    public static let type = "mentoring_accepted"
    public static let schemaVersion: Int64 = 1
    public var mentoring: MentoringID
    public var mentor: MemberID
}

public struct MentoringDeclined: DomainEvent {
    public static let type = "mentoring_declined"
    public static let schemaVersion: Int64 = 1
    public var mentoring: MentoringID
    public var mentor: MemberID
    public var message: String
}

/// A session took place (no private notes are kept in events).
public struct MentoringSessionLogged: DomainEvent {
    public static let type = "mentoring_session_logged"
    public static let schemaVersion: Int64 = 1
    public var mentoring: MentoringID
    public var date: Timestamp
    public var durationMinutes: Int
    public var loggedBy: MemberID
}

public struct MentoringGoalSet: DomainEvent {
    public static let type = "mentoring_goal_set"
    public static let schemaVersion: Int64 = 1
    public var mentoring: MentoringID
    public var goal: String
    public var setBy: MemberID
}

public struct MentoringEnded: DomainEvent {
    public static let type = "mentoring_ended"
    public static let schemaVersion: Int64 = 1
    public var mentoring: MentoringID
    public var outcome: MentoringOutcome
    public var endedBy: MemberID
}

/// A mentor's offer and current mentees.
public struct MentorState: Aggregate, Equatable {
    public let mentor: MemberID
    public var topics: [String] = []
    public var capacity = 0
    public var isOffering = false
    public var mentees: [MentoringID: MemberID] = [:]

    public static func evolve(_ state: MentorState?, _ event: any DomainEvent) -> MentorState? {
        switch event {
        case let event as MentoringOffered:
            var next = state ?? MentorState(mentor: event.mentor)
            next.topics = event.topics
            next.capacity = event.capacity
            next.isOffering = true
            return next
        case is MentoringOfferWithdrawn:
            var next = state
            next?.isOffering = false
            return next
        case let event as MenteeTakenOn:
            var next = state ?? MentorState(mentor: event.mentor)
            next.mentees[event.mentoring] = event.mentee
            return next
        case let event as MenteeReleased:
            var next = state
            next?.mentees[event.mentoring] = nil
            return next
        default:
            return state
        }
    }
}

/// Where a mentoring link stands.
public enum MentoringStatus: String, Sendable, Equatable {
    case requested, active, declined, ended
}

/// A mentoring link as its stream tells it.
public struct MentoringState: Aggregate, Equatable {
    public let id: MentoringID
    public let mentee: MemberID
    /// The named mentor, then the one who accepted.
    public var mentor: MemberID?
    public let community: CommunityID?
    public var status = MentoringStatus.requested
    public var sessions = 0
    public var goals: [String] = []

    public static func evolve(_ state: MentoringState?, _ event: any DomainEvent) -> MentoringState? {
        if let requested = event as? MentoringRequested {
            return MentoringState(
                id: requested.mentoring, mentee: requested.mentee, mentor: requested.mentor, community: requested.community)
        }
        guard var state else { return nil }
        switch event {
        case let event as MentoringAccepted:
            state.mentor = event.mentor
            state.status = .active
        case is MentoringDeclined: state.status = .declined
        case is MentoringSessionLogged: state.sessions += 1
        case let event as MentoringGoalSet: state.goals.append(event.goal)
        case is MentoringEnded: state.status = .ended
        default: break
        }
        return state
    }
}
