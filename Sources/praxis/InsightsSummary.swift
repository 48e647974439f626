import PraxisProtocol

/// The insights report as a few lines of text for people.
enum InsightsSummary {
    static func text(_ r: JSONValue) -> String {
        let scope =
            r["scope"]?["kind"] == "community"
            ? "community \(r["scope"]?["community"]?.stringValue ?? "") (\(r["scope"]?["community_kind"]?.stringValue ?? ""))"
            : "the organisation"
        let activity = r["activity"]
        let windows = (activity?["windows"]?.arrayValue ?? []).map { window in
            "\(n(window["days"]))d \(n(window["active"])) (\(percent(window["participation_rate"])))"
        }
        let flow = r["knowledge_flow"]
        let q = r["questions"]
        let onboarding = r["onboarding"]
        let leaders = r["leaders"]
        let stories = r["success_stories"]
        let learning = r["learning"]
        var lines = [
            "Insights for \(scope): \(n(r["period"]?["days"])) days to \(r["period"]?["until"]?.stringValue ?? "")",
            "Activity    \(n(activity?["members"])) members · active \(windows.joined(separator: ", ")) · stickiness \(n(activity?["stickiness"])) · new contributors \(n(activity?["new_contributors"])) · returning \(n(activity?["returning_contributors"]))",
            "Knowledge   \(n(flow?["links"])) links · across regions \(percent(flow?["crossing_region_share"])) · across departments \(percent(flow?["crossing_department_share"])) · bridging members \(n(flow?["bridges"]?["members"]))",
            "Q&A         \(n(q?["asked"])) asked · answered \(percent(q?["answer_rate"])) · accepted \(percent(q?["accepted_rate"])) · first answer \(n(q?["median_hours_to_first_answer"])) h · accepted answer \(n(q?["median_hours_to_accepted_answer"])) h (medians) · \(n(q?["unanswered_stale"])) unanswered > \(n(q?["stale_after_days"])) days",
            "Onboarding  \(n(onboarding?["newcomers"])) newcomers · mentored \(n(onboarding?["mentored"]?["newcomers"])): first contribution in \(n(onboarding?["mentored"]?["median_days_to_first_contribution"])) days · not mentored \(n(onboarding?["not_mentored"]?["newcomers"])): \(n(onboarding?["not_mentored"]?["median_days_to_first_contribution"])) days · \(n(onboarding?["mentor_load"]?["mentors"])) mentors, at most \(n(onboarding?["mentor_load"]?["max"])) mentees each",
            "Leaders     \(n(leaders?["leaders"])) leaders, \(n(leaders?["active_leaders"])) active · \(n(leaders?["replies"])) replies, \(n(leaders?["answers"])) answers, \(n(leaders?["thanks_given"])) thanks · median response \(n(leaders?["median_response_hours"])) h · \(n(leaders?["departments_reached"])) departments reached",
            "Stories     \(n(stories?["count"])) success stories · \(n(stories?["reactions"])) reactions · \(n(stories?["citing_threads"])) cite the threads they came from",
            "Learning    \(n(learning?["events"])) events · \(n(learning?["going"])) going, \(n(learning?["attended"])) attended (\(percent(learning?["attendance_rate"])) of those going) · \(n(learning?["assigned_learners"])) assigned learners, \(n(learning?["continued_voluntarily"])) went on voluntarily (\(percent(learning?["continued_share"])))",
        ]
        let suppressed = (r["suppressed"]?.arrayValue ?? []).compactMap(\.stringValue)
        if !suppressed.isEmpty {
            lines.append(
                "Suppressed  \(suppressed.count) figures about groups under \(n(r["minimum_group"])) members (--json lists them)")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// A number as people write it; `–` for a figure that is absent or suppressed.
    static func n(_ value: JSONValue?) -> String {
        guard let number = value?.numberValue else { return "–" }
        return number == number.rounded() ? String(Int(number)) : String(number)
    }

    static func percent(_ value: JSONValue?) -> String {
        guard let number = value?.numberValue else { return "–" }
        return "\(Int((number * 100).rounded()))%"
    }
}
