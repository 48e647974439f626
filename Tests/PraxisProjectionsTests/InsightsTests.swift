import Foundation
import PraxisDomain
import PraxisProjections
import PraxisProtocol
import Testing

/// Community value insights on a hand-built scenario; every expected value is worked out by hand
/// in the comments beside it. The report ends at day 30, hour 0; a 28-day period is (day 2, day 30].
@Suite("Insights")
struct InsightsTests {
    /// The people and things of the scenario.
    struct Scenario {
        let world: InsightsWorld
        let ana, ben, cara, dan, eve, fay, guest: MemberID
        let practice, learning: CommunityID
        let q1, q2, q3, story: PostID
    }

    /// Day 1: ana (Sales, EMEA) creates the open practice community; ben (R&D, EMEA) joins; cara
    /// (R&D, APAC, executive) is invited and accepts; dan (Support, AMER) joins. cara creates a
    /// closed learning community and assigns dan to it. ben posts (before the period); ana offers
    /// mentoring. Then, in the period: Q1 by ben (d3h1) answered by dan (d3h3) and cara (d3h6),
    /// dan's answer accepted (d4h1) and thanked (d4h2); Q2 by ana (d5h1) never answered; a success
    /// story by ana (d6h1) citing Q1, liked by ben (d6h2), thanked by cara (d6h3), thanked by ben
    /// and the thanks taken back (d6h4, d6h5); a learning
    /// event (d8h1) with dan and cara going and dan attending; eve (Finance, EMEA) registers d10h1,
    /// joins d10h2, asks for mentoring in the community d10h3, ana accepts d11h1, eve comments on
    /// the story d12h2; fay (Finance, EMEA) registers d15h1, joins d15h2, posts d20h2; Q3 by dan
    /// (d25h1) answered by ana (d25h5); dan moves to Sales on d26h1.
    static func scenario() async throws -> Scenario {
        let world = try InsightsWorld()
        let ana = try await world.member("ana", region: "EMEA", department: "Sales")
        let ben = try await world.member("ben", region: "EMEA", department: "R&D")
        let cara = try await world.member("cara", region: "APAC", department: "R&D", leadership: .executive)
        let dan = try await world.member("dan", region: "AMER", department: "Support")
        let guest = try await world.member("gus", region: "EMEA", department: "Partner", external: true)
        let practice = CommunityID(UUID())
        let learning = CommunityID(UUID())
        try await world.run(
            CreateCommunity(community: practice, name: "Practice", kind: .practice, visibility: .open), as: .member(ana),
            day: 1, hour: 1)
        try await world.run(JoinCommunity(community: practice), as: .member(ben), day: 1, hour: 2)
        try await world.run(InviteMember(community: practice, member: cara), as: .member(ana), day: 1, hour: 3)
        try await world.run(RespondToInvitation(community: practice, accept: true), as: .member(cara), day: 1, hour: 4)
        try await world.run(JoinCommunity(community: practice), as: .member(dan), day: 1, hour: 5)
        try await world.run(
            CreateCommunity(community: learning, name: "Learning", kind: .learning, visibility: .closed),
            as: .member(cara), day: 1, hour: 6)
        try await world.run(AssignMember(community: learning, member: dan), as: .member(cara), day: 1, hour: 7)
        try await world.run(
            CreatePost(post: PostID(UUID()), community: practice, title: "Hello", body: "Hello body"), as: .member(ben), day: 1,
            hour: 8)
        try await world.run(OfferMentoring(topics: ["sales"], capacity: 3), as: .member(ana), day: 1, hour: 9)

        let q1 = PostID(UUID())
        let q2 = PostID(UUID())
        let q3 = PostID(UUID())
        let story = PostID(UUID())
        let dansAnswer = CommentID(UUID())
        try await world.run(
            CreatePost(post: q1, community: practice, kind: .question, title: "Q1", body: "Q1 body"), as: .member(ben), day: 3,
            hour: 1)
        try await world.run(AddComment(post: q1, comment: dansAnswer, body: "A"), as: .member(dan), day: 3, hour: 3)
        try await world.run(AddComment(post: q1, comment: CommentID(UUID()), body: "B"), as: .member(cara), day: 3, hour: 6)
        try await world.run(AcceptAnswer(post: q1, comment: dansAnswer), as: .member(ben), day: 4, hour: 1)
        try await world.run(React(post: q1, comment: dansAnswer, reaction: .thanks), as: .member(ben), day: 4, hour: 2)
        try await world.run(
            CreatePost(post: q2, community: practice, kind: .question, title: "Q2", body: "Q2 body"), as: .member(ana), day: 5,
            hour: 1)
        try await world.run(
            CreatePost(post: story, community: practice, kind: .successStory, title: "Won", body: "Won body", cites: [q1]),
            as: .member(ana), day: 6, hour: 1)
        try await world.run(React(post: story, reaction: .like), as: .member(ben), day: 6, hour: 2)
        try await world.run(React(post: story, reaction: .thanks), as: .member(cara), day: 6, hour: 3)
        // A thanks given and taken back counts for nothing (ben was active that day anyway).
        try await world.run(React(post: story, reaction: .thanks), as: .member(ben), day: 6, hour: 4)
        try await world.run(React(post: story, reaction: .thanks, add: false), as: .member(ben), day: 6, hour: 5)

        let session = LearningEventID(UUID())
        try await world.run(
            ScheduleLearningEvent(
                learningEvent: session, community: learning, title: "Onboarding", start: InsightsWorld.time(day: 8, hour: 1),
                end: InsightsWorld.time(day: 8, hour: 3), backchannel: PostID(UUID())),
            as: .member(cara), day: 7, hour: 1)
        try await world.run(RSVP(learningEvent: session, response: .going), as: .member(dan), day: 7, hour: 2)
        try await world.run(RSVP(learningEvent: session, response: .going), as: .member(cara), day: 7, hour: 3)
        try await world.run(RecordAttendance(learningEvent: session, attendees: [dan]), as: .member(cara), day: 8, hour: 4)

        let eve = try await world.member("eve", region: "EMEA", department: "Finance", day: 10, hour: 1)
        try await world.run(JoinCommunity(community: practice), as: .member(eve), day: 10, hour: 2)
        let link = MentoringID(UUID())
        try await world.run(RequestMentoring(mentoring: link, community: practice), as: .member(eve), day: 10, hour: 3)
        try await world.run(RespondToMentoringRequest(mentoring: link, accept: true), as: .member(ana), day: 11, hour: 1)
        try await world.run(
            AddComment(post: story, comment: CommentID(UUID()), body: "Bravo"), as: .member(eve), day: 12, hour: 2)
        let fay = try await world.member("fay", region: "EMEA", department: "Finance", day: 15, hour: 1)
        try await world.run(JoinCommunity(community: practice), as: .member(fay), day: 15, hour: 2)
        try await world.run(
            CreatePost(post: PostID(UUID()), community: practice, title: "Hi", body: "Hi body"), as: .member(fay), day: 20,
            hour: 2)
        try await world.run(
            CreatePost(post: q3, community: practice, kind: .question, title: "Q3", body: "Q3 body"), as: .member(dan), day: 25,
            hour: 1)
        try await world.run(AddComment(post: q3, comment: CommentID(UUID()), body: "C"), as: .member(ana), day: 25, hour: 5)
        try await world.run(MoveMember(member: dan, region: "AMER", department: "Sales"), as: .operator, day: 26, hour: 1)
        return Scenario(
            world: world, ana: ana, ben: ben, cara: cara, dan: dan, eve: eve, fay: fay, guest: guest, practice: practice,
            learning: learning, q1: q1, q2: q2, q3: q3, story: story)
    }

    static let end = InsightsWorld.time(day: 30, hour: 0)

    static func report(
        _ s: Scenario, _ scope: InsightsRequest.Scope, viewer: InsightsRequest.Viewer, minimumGroup: Int = 1
    ) async throws -> JSONValue {
        let queries = try await s.world.readModels()
        return try await queries.insights(
            InsightsRequest(scope: scope, periodDays: 28, until: end, minimumGroup: minimumGroup, viewer: viewer)
        ).report
    }

    @Test("activity: active members by window and origin, participation, stickiness, new and returning contributors")
    func activity() async throws {
        let s = try await Self.scenario()
        let activity = try await Self.report(s, .community(s.practice), viewer: .member(s.ana))["activity"]
        // Members at the end: ana, ben, cara, dan, eve, fay.
        #expect(activity?["members"] == 6)
        let windows = activity?["windows"]?.arrayValue ?? []
        // 7 days (d23, d30]: dan (d25h1) and ana (d25h5), both voluntary. Nobody here was assigned:
        // an empty group has no figure (null), like any group below the threshold.
        #expect(windows[0]["active"] == 2)
        #expect(windows[0]["participation_rate"] == 0.33)
        #expect(windows[0]["by_origin"] == ["voluntary": 2, "invited": 0, "assigned": .null])
        // 28 days: all six; cara joined by invitation, the others of their own accord.
        #expect(windows[1]["active"] == 6)
        #expect(windows[1]["participation_rate"] == 1)
        #expect(windows[1]["by_origin"] == ["voluntary": 5, "invited": 1, "assigned": .null])
        #expect(windows[2]["active"] == 6)
        // Daily active over the 28 days: 3 (d3: ben, dan, cara) + 1 (d4: ben) + 1 (d5: ana) + 3 (d6:
        // ana, ben, cara) + 1 (d12: eve) + 1 (d20: fay) + 2 (d25: dan, ana) = 12; 12 / 28 / 6 = 0.0714.
        #expect(activity?["stickiness"] == 0.07)
        // First posts in the period: ana (d5), fay (d20), dan (d25); ben's first was on day 1.
        #expect(activity?["new_contributors"] == 3)
        // Contributed in the period and before it: ben only.
        #expect(activity?["returning_contributors"] == 1)
        let daily = activity?["daily_active"]?.arrayValue ?? []
        #expect(daily.count == 28)
        #expect(daily.compactMap { $0["active"]?.integerValue }.reduce(0, +) == 12)
    }

    @Test("knowledge flow: links stamped with each side's department at the time, crossings, matrices, bridges")
    func knowledgeFlow() async throws {
        let s = try await Self.scenario()
        let flow = try await Self.report(s, .community(s.practice), viewer: .member(s.ana))["knowledge_flow"]
        // Links: dan→ben answer, cara→ben answer, dan→ben accepted answer, dan→ben thanks, ana→cara
        // thanks (cara thanked ana's story), eve→ana comment, ana→dan answer. The like is no link,
        // and ben's thanks on the story was taken back.
        #expect(flow?["links"] == 7)
        #expect(flow?["by_kind"] == ["answer": 3, "accepted_answer": 1, "thanks": 2, "comment": 1])
        // Region lines: all but eve→ana (both EMEA). Department lines: all but cara→ben (both R&D).
        #expect(flow?["crossing_region"] == 6)
        #expect(flow?["crossing_department"] == 6)
        #expect(flow?["crossing_department_share"] == 0.86)
        // dan moved to Sales on day 26; his earlier links keep Support.
        let cells = flow?["by_department"]?.arrayValue ?? []
        #expect(cells.contains(["from": "Support", "to": "R&D", "links": 3]))
        #expect(cells.contains(["from": "Sales", "to": "Support", "links": 1]))
        #expect(!cells.contains { $0["from"] == "Sales" && $0["to"] == "R&D" && $0["links"] == 3 })
        // ana (Sales) links with R&D (cara), Finance (eve) and Support (dan); Finance talks to
        // neither R&D nor Support directly, R&D and Support do talk: ana bridges two pairs.
        #expect(flow?["bridges"]?["members"] == 1)
        #expect(
            flow?["bridges"]?["list"]?.arrayValue?.first?["connects"] == [["Finance", "R&D"], ["Finance", "Support"]])
        #expect(flow?["bridges"]?["list"]?.arrayValue?.first?["member"]?.stringValue == s.ana.description)
    }

    @Test("Q&A health, success stories and leader engagement")
    func questionsStoriesLeaders() async throws {
        let s = try await Self.scenario()
        let report = try await Self.report(s, .community(s.practice), viewer: .member(s.ana))
        let questions = report["questions"]
        // Q1, Q2, Q3 asked; Q1 (2 h) and Q3 (4 h) answered; Q1 accepted after 24 h; Q2 unanswered since day 5.
        #expect(questions?["asked"] == 3)
        #expect(questions?["answer_rate"] == 0.67)
        #expect(questions?["accepted_rate"] == 0.33)
        #expect(questions?["median_hours_to_first_answer"] == 3)
        #expect(questions?["median_hours_to_accepted_answer"] == 24)
        #expect(questions?["unanswered_stale"] == 1)
        #expect(questions?["hours_to_first_answer"] == [2, 4])
        let stories = report["success_stories"]
        #expect(stories?["count"] == 1)
        #expect(stories?["reactions"] == 2)
        #expect(stories?["citing_threads"] == 1)
        #expect(stories?["stories"]?.arrayValue?.first?["cites"] == [["post": .string(s.q1.description), "title": "Q1"]])
        let leaders = report["leaders"]
        // cara is the only leader: one answer (5 h after Q1), one thanks; she reached R&D (ben) and
        // Sales (ana); the thanks crossed a department line, the answer did not.
        #expect(leaders?["leaders"] == 1)
        #expect(leaders?["replies"] == 1)
        #expect(leaders?["answers"] == 1)
        #expect(leaders?["thanks_given"] == 1)
        #expect(leaders?["accepted_answers"] == 0)
        #expect(leaders?["median_response_hours"] == 5)
        #expect(leaders?["departments_reached"] == 2)
        #expect(leaders?["crossing_department_share"] == 0.5)
    }

    @Test("onboarding: mentored and not-mentored newcomers side by side, the funnel, mentor load")
    func onboarding() async throws {
        let s = try await Self.scenario()
        let onboarding = try await Self.report(s, .community(s.practice), viewer: .member(s.ana))["onboarding"]
        // Newcomers of the period: eve (joined d10h2, mentored) and fay (joined d15h2).
        #expect(onboarding?["newcomers"] == 2)
        // eve's first contribution d12h2: 2 days; fay's d20h2: 5 days.
        #expect(onboarding?["mentored"]?["newcomers"] == 1)
        #expect(onboarding?["mentored"]?["median_days_to_first_contribution"] == 2)
        #expect(onboarding?["not_mentored"]?["median_days_to_first_contribution"] == 5)
        #expect(onboarding?["not_mentored"]?["contributed_share"] == 1)
        #expect(onboarding?["mentored"]?["gave_accepted_answer"] == 0)
        #expect(
            onboarding?["funnel"]?.arrayValue?.compactMap { $0["members"]?.integerValue } == [2, 1, 1, 1, 0])
        // ana mentors eve through a link asked in this community; ana owns it and sees who.
        #expect(onboarding?["mentor_load"]?["mentors"] == 1)
        #expect(onboarding?["mentor_load"]?["by_mentor"]?.arrayValue?.first?["mentees"] == 1)
    }

    @Test("learning: RSVPs against attendance; assigned learners who go on to contribute voluntarily")
    func learning() async throws {
        let s = try await Self.scenario()
        let learning = try await Self.report(s, .community(s.learning), viewer: .member(s.cara))["learning"]
        // One event: dan and cara going, dan attended.
        #expect(learning?["events"] == 1)
        #expect(learning?["going"] == 2)
        #expect(learning?["attended"] == 1)
        #expect(learning?["attendance_rate"] == 0.5)
        // dan, assigned on d1h7, answered in the practice community (joined voluntarily) on d3h3.
        #expect(learning?["assigned_learners"] == 1)
        #expect(learning?["continued_voluntarily"] == 1)
        #expect(learning?["continued_share"] == 1)
    }

    @Test("the organisation's report: newcomers by registration, every community's facts")
    func organisation() async throws {
        let s = try await Self.scenario()
        let report = try await Self.report(s, .organisation, viewer: .operator)
        #expect(report["scope"]?["kind"] == "organisation")
        // eve and fay registered in the period (the guest is external).
        #expect(report["onboarding"]?["newcomers"] == 2)
        // The learning event's backchannel post adds no question; the same three questions.
        #expect(report["questions"]?["asked"] == 3)
        #expect(report["learning"]?["attendance_rate"] == 0.5)
        // The organisation's report lists no story titles.
        #expect(report["success_stories"]?["stories"] == nil)
    }

    @Test("small groups are suppressed: null figures, listed by path")
    func suppression() async throws {
        let s = try await Self.scenario()
        let report = try await Self.report(s, .community(s.practice), viewer: .member(s.ana), minimumGroup: 5)
        let suppressed = Set((report["suppressed"]?.arrayValue ?? []).compactMap(\.stringValue))
        // Six members: totals shown. One invited member, no assigned one: their splits hidden.
        #expect(report["activity"]?["windows"]?.arrayValue?[1]["active"] == 6)
        #expect(report["activity"]?["windows"]?.arrayValue?[1]["by_origin"]?["invited"] == .null)
        #expect(suppressed.contains("activity.28d.by_origin.invited"))
        #expect(suppressed.contains("activity.28d.by_origin.assigned"))
        // Three askers, one leader, one newcomer per group: hidden.
        #expect(report["questions"]?["answer_rate"] == .null)
        #expect(report["leaders"]?["median_response_hours"] == .null)
        #expect(report["onboarding"]?["mentored"]?["median_days_to_first_contribution"] == .null)
        #expect(suppressed.contains("leaders.replies"))
        #expect(!suppressed.contains("activity.28d.active"))
    }

    @Test("who may read: member-level figures for owners and the member concerned; refusals with codes")
    func access() async throws {
        let s = try await Self.scenario()
        // ben may read the open community's report, but not ana's place as a bridge or mentor.
        let bens = try await Self.report(s, .community(s.practice), viewer: .member(s.ben))
        #expect(bens["knowledge_flow"]?["bridges"]?["members"] == 1)
        #expect(bens["knowledge_flow"]?["bridges"]?["list"] == [])
        #expect(bens["onboarding"]?["mentor_load"]?["by_mentor"] == [])
        // ana sees her own entry in the organisation's report.
        let anas = try await Self.report(s, .organisation, viewer: .member(s.ana))
        #expect(anas["knowledge_flow"]?["bridges"]?["list"]?.arrayValue?.count == 1)
        await #expect(throws: QueryFailure(.notMember, "only members read this community's content")) {
            _ = try await Self.report(s, .community(s.learning), viewer: .member(s.ben))
        }
        await #expect(throws: QueryFailure(.notMember, "organisation insights are for the organisation's own members")) {
            _ = try await Self.report(s, .organisation, viewer: .member(s.guest))
        }
        let unknown = CommunityID(UUID())
        await #expect(throws: QueryFailure(.notFound, "no community \(unknown)")) {
            _ = try await Self.report(s, .community(unknown), viewer: .operator)
        }
    }

    @Test("the same log gives the same report; the insights read model is in the digest")
    func deterministic() async throws {
        let s = try await Self.scenario()
        let first = try await Self.report(s, .organisation, viewer: .operator)
        let second = try await Self.report(s, .organisation, viewer: .operator)
        #expect(first == second)
        let digests = try await s.world.engine().0.digests()
        let again = try await s.world.engine().0.digests()
        let insights = try #require(digests.first { $0.name == "insights" })
        #expect(again.first { $0.name == "insights" } == insights)
    }
}
