import PraxisProtocol

extension InsightsReport {
    /// Questions asked in the period: how many were answered and accepted, how fast, and how many
    /// questions of any age still wait for a first answer after `staleAfterDays`.
    mutating func questions() -> JSONValue {
        let asked = facts.posts.filter { $0.kind == "question" && !$0.deleted && inPeriod($0.at) }
        let askers = Set(asked.map(\.author)).count
        let answered = asked.filter { $0.firstAnswerAt != nil }
        let accepted = asked.filter { $0.acceptedAt != nil }
        let toFirst = answered.compactMap { post in post.firstAnswerAt.map { Double($0 - post.at) / Self.hour } }
        let toAccepted = accepted.compactMap { post in post.acceptedAt.map { Double($0 - post.at) / Self.hour } }
        let staleBefore = until - Int64(request.staleAfterDays) * Self.day
        let stale = facts.posts.filter {
            $0.kind == "question" && !$0.deleted && $0.firstAnswerAt == nil && $0.at <= staleBefore
        }
        return [
            "asked": .number(Double(asked.count)),
            "answered": .number(Double(answered.count)),
            "accepted": .number(Double(accepted.count)),
            "answer_rate": disclosure.number(
                "questions.answer_rate", share(answered.count, of: asked.count), group: askers),
            "accepted_rate": disclosure.number(
                "questions.accepted_rate", share(accepted.count, of: asked.count), group: askers),
            "median_hours_to_first_answer": disclosure.number(
                "questions.median_hours_to_first_answer", median(toFirst), group: askers),
            "median_hours_to_accepted_answer": disclosure.number(
                "questions.median_hours_to_accepted_answer", median(toAccepted), group: askers),
            "hours_to_first_answer": askers >= request.minimumGroup
                ? .array(toFirst.sorted().map { .number(Disclosure.rounded($0)) }) : .null,
            "stale_after_days": .number(Double(request.staleAfterDays)),
            "unanswered_stale": .number(Double(stale.count)),
        ]
    }

    /// Success stories posted in the period, their reactions, and the threads they cite as their
    /// origin (listed in a community's report; the organisation's report counts them).
    func successStories() -> JSONValue {
        let stories = facts.posts.filter { $0.kind == "success_story" && !$0.deleted && inPeriod($0.at) }
        var report: [String: JSONValue] = [
            "count": .number(Double(stories.count)),
            "reactions": .number(Double(stories.map(\.reactions).reduce(0, +))),
            "citing_threads": .number(Double(stories.filter { !$0.cites.isEmpty }.count)),
        ]
        if isCommunity {
            let titles = Dictionary(
                facts.posts.filter { !$0.deleted }.map { ($0.post, $0.title) }, uniquingKeysWith: { first, _ in first })
            report["stories"] = .array(
                stories.map { story in
                    [
                        "post": .string(story.post), "title": .string(story.title),
                        "reactions": .number(Double(story.reactions)),
                        // A cited thread's title only when it belongs to this community (and so may be read here).
                        "cites": .array(
                            story.cites.map { cited in
                                ["post": .string(cited), "title": titles[cited].map(JSONValue.string) ?? .null]
                            }),
                    ]
                })
        }
        return .object(report)
    }
}
