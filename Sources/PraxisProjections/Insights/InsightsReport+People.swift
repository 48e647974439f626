import PraxisDomain
import PraxisProtocol

extension InsightsReport {
    /// Newcomers of the period (joined the community, or registered in the organisation): how fast
    /// they first contribute and first give an accepted answer, mentored and not mentored side by
    /// side; the mentoring funnel; and mentor load.
    mutating func onboarding() -> JSONValue {
        var joined: [String: Int64] = [:]
        if isCommunity {
            for span in facts.memberships where joined[span.member] == nil { joined[span.member] = span.joinedAt }
        } else {
            for person in facts.people.values where !person.external { joined[person.member] = person.registeredAt }
        }
        let newcomers = joined.filter { inPeriod($0.value) }
        var firstContribution: [String: Int64] = [:]
        for act in facts.activity where act.isContribution && newcomers[act.member].map({ act.at >= $0 }) == true {
            firstContribution[act.member] = min(firstContribution[act.member] ?? .max, act.at)
        }
        var firstAccepted: [String: Int64] = [:]
        for link in facts.links where link.kind == "accepted_answer" && newcomers[link.helper].map({ link.at >= $0 }) == true {
            firstAccepted[link.helper] = min(firstAccepted[link.helper] ?? .max, link.at)
        }
        let requested = Set(facts.mentoring.map(\.mentee))
        let mentored = Set(facts.mentoring.filter { $0.acceptedAt != nil }.map(\.mentee))
        func group(_ name: String, _ members: [String]) -> JSONValue {
            let contributed = members.filter { firstContribution[$0] != nil }
            let answered = members.filter { firstAccepted[$0] != nil }
            let days = { (firsts: [String: Int64], member: String) -> Double? in
                guard let first = firsts[member], let start = newcomers[member] else { return nil }
                return Double(first - start) / Double(Self.day)
            }
            let path = "onboarding.\(name)"
            return [
                "newcomers": .number(Double(members.count)),
                "contributed": disclosure.count("\(path).contributed", contributed.count, group: members.count),
                "contributed_share": disclosure.number(
                    "\(path).contributed_share", share(contributed.count, of: members.count), group: members.count),
                "median_days_to_first_contribution": disclosure.number(
                    "\(path).median_days_to_first_contribution",
                    median(contributed.compactMap { days(firstContribution, $0) }), group: members.count),
                "gave_accepted_answer": disclosure.count("\(path).gave_accepted_answer", answered.count, group: members.count),
                "median_days_to_first_accepted_answer": disclosure.number(
                    "\(path).median_days_to_first_accepted_answer",
                    median(answered.compactMap { days(firstAccepted, $0) }), group: members.count),
            ]
        }
        let all = newcomers.keys.sorted()
        let funnel: [(String, Int)] = [
            ("newcomers", all.count),
            ("asked_for_mentoring", all.filter(requested.contains).count),
            ("mentored", all.filter(mentored.contains).count),
            ("mentored_and_contributed", all.filter { mentored.contains($0) && firstContribution[$0] != nil }.count),
            ("mentored_and_gave_accepted_answer", all.filter { mentored.contains($0) && firstAccepted[$0] != nil }.count),
        ]
        return [
            "newcomers": .number(Double(all.count)),
            "mentored": group("mentored", all.filter(mentored.contains)),
            "not_mentored": group("not_mentored", all.filter { !mentored.contains($0) }),
            "funnel": .array(
                funnel.map { step in
                    [
                        "step": .string(step.0),
                        "members": disclosure.count("onboarding.funnel.\(step.0)", step.1, group: all.count),
                    ]
                }),
            "mentor_load": mentorLoad(),
        ]
    }

    /// Active mentoring links per mentor at the period's end (in a community: links asked there).
    private func mentorLoad() -> JSONValue {
        let community: String? = if case .community(let id) = request.scope { id.description } else { nil }
        var load: [String: Int] = [:]
        for link in facts.mentoring where link.acceptedAt != nil && link.endedAt == nil {
            guard let mentor = link.mentor, community == nil || link.community == community else { continue }
            load[mentor, default: 0] += 1
        }
        let counts = load.values.map(Double.init)
        return [
            "mentors": .number(Double(load.count)),
            "active_links": .number(counts.reduce(0, +)),
            "max": counts.max().map(JSONValue.number) ?? .null,
            "median": median(counts).map(JSONValue.number) ?? .null,
            "by_mentor": .array(
                load.keys.sorted().filter(mayShow).map { mentor in
                    ["member": .string(mentor), "display_name": name(mentor), "mentees": .number(Double(load[mentor] ?? 0))]
                }),
        ]
    }

    /// Senior leaders' and executives' replies, answers, accepted answers and thanks in the period,
    /// how fast they reply to a post, and how far across departments they reach.
    mutating func leaders() -> JSONValue {
        let scopeMembers = members
        let leaders = Set(facts.people.values.filter { $0.isLeader && scopeMembers.contains($0.member) }.map(\.member))
        let links = facts.links.filter { inPeriod($0.at) }
        let acting = links.filter { leaders.contains($0.actor) && $0.kind != "accepted_answer" }
        let replies = acting.filter { $0.kind == "comment" || $0.kind == "answer" }
        let accepted = links.filter { $0.kind == "accepted_answer" && leaders.contains($0.helper) }
        let thanks = acting.filter { $0.kind == "thanks" }
        let reached = Set(acting.map { $0.kind == "thanks" ? $0.helperDepartment : $0.helpedDepartment })
        let crossing = acting.filter { $0.helperDepartment != $0.helpedDepartment }.count
        let posts = Dictionary(facts.posts.map { ($0.post, $0) }, uniquingKeysWith: { first, _ in first })
        var firstReply: [[String]: Double] = [:]
        for comment in facts.comments where leaders.contains(comment.author) && inPeriod(comment.at) {
            guard let post = posts[comment.post], post.author != comment.author else { continue }
            let key = [comment.post, comment.author]
            if firstReply[key] == nil { firstReply[key] = Double(comment.at - post.at) / Self.hour }
        }
        let group = leaders.count
        return [
            "leaders": .number(Double(group)),
            "active_leaders": disclosure.count(
                "leaders.active_leaders", Set(acting.map(\.actor) + accepted.map(\.helper)).count, group: group),
            "replies": disclosure.count("leaders.replies", replies.count, group: group),
            "answers": disclosure.count("leaders.answers", replies.filter { $0.kind == "answer" }.count, group: group),
            "accepted_answers": disclosure.count("leaders.accepted_answers", accepted.count, group: group),
            "thanks_given": disclosure.count("leaders.thanks_given", thanks.count, group: group),
            "median_response_hours": disclosure.number(
                "leaders.median_response_hours", median(Array(firstReply.values)), group: group),
            "departments_reached": disclosure.count("leaders.departments_reached", reached.count, group: group),
            "crossing_department_share": disclosure.number(
                "leaders.crossing_department_share", share(crossing, of: acting.count), group: group),
        ]
    }

    /// Learning events of the period (RSVPs against attendance) and whether assigned learners go on
    /// to contribute where nobody assigned them.
    mutating func learning() -> JSONValue {
        let events = facts.learningEvents.filter { !$0.cancelled && inPeriod($0.start) }
        var going = 0
        var attended = 0
        var attendedOfGoing = 0
        var goers = Set<String>()
        for event in events {
            let yes = Set((facts.rsvps[event.event] ?? [:]).filter { $0.value == "going" }.keys)
            let present = facts.attendance[event.event] ?? []
            going += yes.count
            attended += present.count
            attendedOfGoing += yes.intersection(present).count
            goers.formUnion(yes)
        }
        var assignedAt: [String: Int64] = [:]
        for span in facts.memberships where span.origin == "assigned" && assignedAt[span.member] == nil {
            assignedAt[span.member] = span.joinedAt
        }
        let continued = assignedAt.filter { member, at in
            (facts.voluntaryContributions[member] ?? []).contains { $0 > at }
        }.count
        return [
            "events": .number(Double(events.count)),
            "going": .number(Double(going)),
            "attended": .number(Double(attended)),
            "attended_of_going": disclosure.count("learning.attended_of_going", attendedOfGoing, group: goers.count),
            "attendance_rate": disclosure.number(
                "learning.attendance_rate", share(attendedOfGoing, of: going), group: goers.count),
            "assigned_learners": .number(Double(assignedAt.count)),
            "continued_voluntarily": disclosure.count(
                "learning.continued_voluntarily", continued, group: assignedAt.count),
            "continued_share": disclosure.number(
                "learning.continued_share", share(continued, of: assignedAt.count), group: assignedAt.count),
        ]
    }
}
