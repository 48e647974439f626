import PraxisProtocol

extension InsightsReport {
    /// Active members over 7, 28 and 90 days, split by membership origin; participation, stickiness,
    /// new and returning contributors, and the daily active count over the period (for a chart).
    mutating func activity() -> JSONValue {
        let members = self.members
        let originGroups = Dictionary(
            grouping: facts.memberships.filter { $0.isMember(at: until) }, by: \.origin
        ).mapValues { Set($0.map(\.member)).count }
        var windows: [JSONValue] = []
        for days in [7, 28, 90] {
            let start = until - Int64(days) * Self.day
            let acts = facts.activity.filter { $0.at > start && $0.at <= until }
            let active = Set(acts.map(\.member))
            var byOrigin: [String: JSONValue] = [:]
            for origin in ["voluntary", "invited", "assigned"] {
                let count = Set(
                    acts.filter { self.origin(of: $0.member, in: $0.community, at: $0.at) == origin }.map(\.member)
                ).count
                byOrigin[origin] = disclosure.count(
                    "activity.\(days)d.by_origin.\(origin)", count, group: originGroups[origin] ?? 0)
            }
            windows.append([
                "days": .number(Double(days)),
                "active": disclosure.count("activity.\(days)d.active", active.count, group: members.count),
                "participation_rate": disclosure.number(
                    "activity.\(days)d.participation_rate", share(active.count, of: members.count), group: members.count),
                "by_origin": .object(byOrigin),
            ])
        }
        let monthly = Set(facts.activity.filter { $0.at > until - 28 * Self.day && $0.at <= until }.map(\.member)).count
        let dailyMean = Double((0..<28).map { dailyActive(endingDaysAgo: $0) }.reduce(0, +)) / 28
        let contributions = facts.activity.filter(\.isContribution)
        var firstPost: [String: Int64] = [:]
        for act in facts.activity where act.kind == "post" && firstPost[act.member] == nil { firstPost[act.member] = act.at }
        let newContributors = firstPost.values.filter(inPeriod).count
        let contributedInPeriod = Set(contributions.filter { inPeriod($0.at) }.map(\.member))
        let contributedBefore = Set(contributions.filter { $0.at <= from }.map(\.member))
        let daily = (0..<request.periodDays).reversed().map { daysAgo -> JSONValue in
            [
                "day": .string(Timestamp(millisecondsSinceEpoch: until - Int64(daysAgo) * Self.day).rfc3339),
                "active": .number(Double(dailyActive(endingDaysAgo: daysAgo))),
            ]
        }
        return [
            "members": .number(Double(members.count)),
            "windows": .array(windows),
            "stickiness": disclosure.number(
                "activity.stickiness", monthly == 0 ? nil : dailyMean / Double(monthly), group: members.count),
            "new_contributors": disclosure.count("activity.new_contributors", newContributors, group: members.count),
            "returning_contributors": disclosure.count(
                "activity.returning_contributors", contributedInPeriod.intersection(contributedBefore).count,
                group: members.count),
            "daily_active": members.count >= request.minimumGroup ? .array(daily) : .null,
        ]
    }

    /// Distinct members active in the day ending `daysAgo` days before the period's end.
    func dailyActive(endingDaysAgo daysAgo: Int) -> Int {
        let end = until - Int64(daysAgo) * Self.day
        return Set(facts.activity.filter { $0.at > end - Self.day && $0.at <= end }.map(\.member)).count
    }
}
