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
        var monthly = 0
        for days in [7, 28, 90] {
            let start = until - Int64(days) * Self.day
            let acts = facts.activity.filter { $0.at > start && $0.at <= until }
            let active = Set(acts.map(\.member))
            if days == 28 { monthly = active.count }
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
        let perDay = dailyActive(days: max(request.periodDays, 28))
        let dailyMean = Double(perDay.prefix(28).reduce(0, +)) / 28
        let contributions = facts.activity.filter(\.isContribution)
        var firstPost: [String: Int64] = [:]
        for act in facts.activity where act.kind == "post" && firstPost[act.member] == nil { firstPost[act.member] = act.at }
        let newContributors = firstPost.values.filter(inPeriod).count
        let contributedInPeriod = Set(contributions.filter { inPeriod($0.at) }.map(\.member))
        let contributedBefore = Set(contributions.filter { $0.at <= from }.map(\.member))
        let daily = (0..<request.periodDays).reversed().map { daysAgo -> JSONValue in
            [
                "day": .string(Timestamp(millisecondsSinceEpoch: until - Int64(daysAgo) * Self.day).rfc3339),
                "active": .number(Double(perDay[daysAgo])),
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

    /// Distinct active members per day, in one pass: entry `k` is the day ending `k` days before
    /// the period's end, that is (end − (k+1) days, end − k days].
    func dailyActive(days: Int) -> [Int] {
        var members = Array(repeating: Set<String>(), count: days)
        for act in facts.activity where act.at <= until {
            let day = Int((until - act.at) / Self.day)
            if day < days { members[day].insert(act.member) }
        }
        return members.map(\.count)
    }
}
