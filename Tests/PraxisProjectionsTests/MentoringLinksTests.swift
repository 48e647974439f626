import Foundation
import PraxisCommands
import PraxisDomain
import PraxisProjections
import PraxisProtocol
import PraxisStore
import Testing

@Suite("Mentoring links")
struct MentoringLinksTests {
    @Test("offers, capacity left, links as mentor and mentee, sessions, outcomes, per community")
    func links() async throws {
        let world = try HandBuiltWorld()
        let (maria, nina, noah, otto) = (
            try await world.member("maria"), try await world.member("nina"), try await world.member("noah"),
            try await world.member("otto")
        )
        let newcomers = try await world.community("Newcomers", .closed, owner: maria)
        try await world.service.execute(InviteMember(community: newcomers, member: noah), as: .member(maria))
        try await world.service.execute(RespondToInvitation(community: newcomers, accept: true), as: .member(noah))
        try await world.service.execute(OfferMentoring(topics: ["swift", "career"], capacity: 2), as: .member(maria))
        let named = MentoringID(UUID())
        let open = MentoringID(UUID())
        try await world.service.execute(RequestMentoring(mentoring: named, mentor: maria), as: .member(nina))
        try await world.service.execute(RequestMentoring(mentoring: open, community: newcomers), as: .member(noah))
        try await world.service.execute(RespondToMentoringRequest(mentoring: named, accept: true), as: .member(maria))
        try await world.service.execute(RespondToMentoringRequest(mentoring: open, accept: true), as: .member(maria))
        try await world.service.execute(
            LogMentoringSession(mentoring: named, date: Timestamp(Date()), durationMinutes: 45), as: .member(nina))
        try await world.service.execute(
            LogMentoringSession(mentoring: named, date: Timestamp(Date()), durationMinutes: 30), as: .member(maria))
        try await world.service.execute(SetMentoringGoal(mentoring: named, goal: "First release"), as: .member(nina))
        try await world.service.execute(EndMentoring(mentoring: open, outcome: .completed), as: .member(noah))

        let queries = try await world.readModels()
        let mine = try await queries.mentoring(of: maria)
        #expect(try mine.extraValue("offer")?["capacity"] == 2)
        #expect(try mine.extraValue("offer")?["capacity_left"] == 1, "one link ended, one active")
        #expect(try mine.extraValue("offer")?["topics"] == ["swift", "career"])
        let asMentor = try #require(try mine.extraValue("as_mentor")?.arrayValue)
        #expect(Set(asMentor.compactMap { $0["status"]?.stringValue }) == ["active", "ended"])
        let ninas = try #require(try await queries.mentoring(of: nina).extraValue("as_mentee")?.arrayValue?.first)
        #expect(ninas["sessions"] == 2 && ninas["minutes"] == 75 && ninas["goals"] == 1)
        #expect(ninas["mentor"]?.stringValue == maria.description)
        let inCommunity = try await queries.mentoring(in: newcomers, for: noah, cursor: nil, limit: 10)
        #expect(try inCommunity.itemValues().map { $0["outcome"] } == ["completed"])
        await #expect(throws: QueryFailure(.notMember, "only members read this community's content")) {
            try await queries.mentoring(in: newcomers, for: otto, cursor: nil, limit: 10)
        }
    }
}
