import PraxisProtocol

/// Computes an insights report from the facts of one scope: pure arithmetic over the rows, so the
/// same log and request always give the same report.
struct InsightsReport {
    static let day: Int64 = 86_400_000
    static let hour: Double = 3_600_000

    let facts: InsightsFacts
    let request: InsightsRequest
    /// Member ids whose member-level figures the viewer may see; `nil` for all.
    let visibleMembers: Set<String>?
    var disclosure: Disclosure
    /// Membership spans by community and member, in the order they began.
    let spans: [MembershipKey: [InsightsFacts.Membership]]

    struct MembershipKey: Hashable {
        let community: String
        let member: String
    }

    init(facts: InsightsFacts, request: InsightsRequest, visibleMembers: Set<String>?) {
        self.facts = facts
        self.request = request
        self.visibleMembers = visibleMembers
        self.disclosure = Disclosure(minimumGroup: request.minimumGroup)
        self.spans = Dictionary(grouping: facts.memberships) { MembershipKey(community: $0.community, member: $0.member) }
    }

    var until: Int64 { facts.until }
    var from: Int64 { until - Int64(request.periodDays) * Self.day }
    func inPeriod(_ time: Int64) -> Bool { time > from && time <= until }

    var isCommunity: Bool { if case .community = request.scope { true } else { false } }

    /// The scope's members at the end of the period: a community's current members, or everyone
    /// registered in the organisation.
    var members: Set<String> {
        if isCommunity { return Set(facts.memberships.filter { $0.isMember(at: until) }.map(\.member)) }
        return Set(facts.people.keys)
    }

    /// The origin of `member`'s membership in `community` at `time` (the latest span begun by then).
    func origin(of member: String, in community: String, at time: Int64) -> String? {
        spans[MembershipKey(community: community, member: member)]?.last { $0.joinedAt <= time }?.origin
    }

    func mayShow(_ member: String) -> Bool { visibleMembers?.contains(member) ?? true }

    func name(_ member: String) -> JSONValue { facts.people[member].map { .string($0.displayName) } ?? .null }

    /// The whole report, section by section.
    mutating func sections() -> [String: JSONValue] {
        var report: [String: JSONValue] = [
            "period": [
                "days": .number(Double(request.periodDays)),
                "from": .string(Timestamp(millisecondsSinceEpoch: from).rfc3339),
                "until": .string(Timestamp(millisecondsSinceEpoch: until).rfc3339),
            ],
            "minimum_group": .number(Double(request.minimumGroup)),
        ]
        report["activity"] = activity()
        report["knowledge_flow"] = knowledgeFlow()
        report["questions"] = questions()
        report["onboarding"] = onboarding()
        report["leaders"] = leaders()
        report["success_stories"] = successStories()
        report["learning"] = learning()
        report["suppressed"] = .array(disclosure.suppressed.map(JSONValue.string))
        return report
    }
}

/// Small-group suppression: a figure about a group of fewer members than the threshold is
/// replaced by `null` and its path listed, so nobody reads an individual's behaviour off a total.
struct Disclosure {
    let minimumGroup: Int
    private(set) var suppressed: [String] = []

    mutating func count(_ path: String, _ value: Int, group: Int) -> JSONValue {
        number(path, Double(value), group: group)
    }

    mutating func number(_ path: String, _ value: Double?, group: Int) -> JSONValue {
        guard group >= minimumGroup else {
            suppressed.append(path)
            return .null
        }
        return value.map { .number(Self.rounded($0)) } ?? .null
    }

    /// Two decimals: enough for rates and hours, and stable across platforms.
    static func rounded(_ value: Double) -> Double { (value * 100).rounded() / 100 }
}

/// The median of `values`, `nil` when there are none.
func median(_ values: [Double]) -> Double? {
    guard !values.isEmpty else { return nil }
    let sorted = values.sorted()
    let middle = sorted.count / 2
    return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
}

/// `part ÷ whole`, `nil` when the whole is zero.
func share(_ part: Int, of whole: Int) -> Double? { whole == 0 ? nil : Double(part) / Double(whole) }
