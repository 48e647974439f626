public import PraxisDomain
public import PraxisProtocol

/// What an insights report covers and who reads it.
public struct InsightsRequest: Sendable {
    /// One community, or the whole organisation.
    public enum Scope: Sendable, Equatable {
        case community(CommunityID)
        case organisation
    }

    /// Who reads: member-level figures (bridges, mentor load) are shown only to the member they are
    /// about and to the community's owners; operators see them all.
    public enum Viewer: Sendable, Equatable {
        case member(MemberID)
        case `operator`
    }

    public var scope: Scope
    /// The period's length in days (1–366): Q&A, knowledge flow, onboarding, leaders, stories and
    /// learning count what happened in it; activity always reports 7, 28 and 90 days.
    public var periodDays: Int
    /// The period's end; `nil` for the time of the last event the read model has applied, so the
    /// same log always gives the same report.
    public var until: Timestamp?
    /// Questions unanswered for longer than this many days are counted as stale.
    public var staleAfterDays: Int
    /// Figures about groups of fewer members than this are suppressed (`null`, listed in `suppressed`).
    public var minimumGroup: Int
    public var viewer: Viewer

    public init(
        scope: Scope, periodDays: Int = 28, until: Timestamp? = nil, staleAfterDays: Int = 7, minimumGroup: Int = 5,
        viewer: Viewer
    ) {
        self.scope = scope
        self.periodDays = periodDays
        self.until = until
        self.staleAfterDays = staleAfterDays
        self.minimumGroup = minimumGroup
        self.viewer = viewer
    }

    /// Parses a period such as `28d` (1 to 366 days).
    public static func periodDays(_ text: String) -> Int? {
        guard text.hasSuffix("d"), let days = Int(text.dropLast()), (1...366).contains(days) else { return nil }
        return days
    }
}
