import Foundation
import PraxisCommands
import PraxisDomain
import PraxisProtocol
import PraxisStore
import Testing

@Suite("Learning events and mentoring")
struct LearningAndMentoringTests {
    @Test("learning events: scheduled by moderators with a backchannel, RSVPs until the end, attendance after the start")
    func learningEvents() async throws {
        let org = try Organisation()
        let trainer = try await org.member("Tina")
        let learner = try await org.member("Lea")
        let outsider = try await org.member("Otto")
        let course = try await org.community("Onboarding", kind: .learning, visibility: .closed, owner: trainer)
        try await org.run(AssignMember(community: course, member: learner), as: .member(trainer))
        let start = Timestamp(millisecondsSinceEpoch: org.now.millisecondsSinceEpoch + 2 * 3_600_000)
        let end = Timestamp(millisecondsSinceEpoch: start.millisecondsSinceEpoch + 3_600_000)
        let event = LearningEventID(UUID())
        let backchannel = PostID(UUID())
        func schedule(start: Timestamp, end: Timestamp) -> ScheduleLearningEvent {
            ScheduleLearningEvent(
                learningEvent: event, community: course, title: "Git basics", start: start, end: end, backchannel: backchannel)
        }
        try await org.expectRejection(.forbidden, schedule(start: start, end: end), as: .member(learner))
        try await org.expectRejection(.invalidField, field: "start", schedule(start: org.now, end: end), as: .member(trainer))
        try await org.expectRejection(.invalidField, field: "end", schedule(start: end, end: start), as: .member(trainer))
        let written = try await org.run(schedule(start: start, end: end), as: .member(trainer))
        #expect(written.map(\.type.rawValue) == ["learning_event_scheduled", "post_created"])
        #expect(try await org.postState(backchannel)?.community == course)
        try await org.run(RSVP(learningEvent: event, response: .going), as: .member(learner))
        try await org.expectRejection(.invalidState, RSVP(learningEvent: event, response: .going), as: .member(learner))
        try await org.expectRejection(.notMember, RSVP(learningEvent: event, response: .going), as: .member(outsider))
        try await org.expectRejection(
            .invalidState, RecordAttendance(learningEvent: event, attendees: [learner]), as: .member(trainer))
        org.advance(hours: 2)
        try await org.expectRejection(
            .invalidField, field: "attendees", RecordAttendance(learningEvent: event, attendees: [outsider]), as: .member(trainer)
        )
        try await org.run(RecordAttendance(learningEvent: event, attendees: [learner]), as: .member(trainer))
        // A resource posted to the event stays tied to it after it ends.
        org.advance(hours: 5)
        try await org.expectRejection(.invalidState, RSVP(learningEvent: event, response: .maybe), as: .member(learner))
        try await org.expectRejection(.invalidState, CancelLearningEvent(learningEvent: event), as: .member(trainer))
        try await org.run(
            CreatePost(
                post: PostID(UUID()), community: course, kind: .resource, title: "Slides",
                link: "https://example.com/slides.pdf", learningEvent: event), as: .member(trainer))
        try await org.expectRejection(
            .invalidField, field: "learning_event",
            CreatePost(post: PostID(UUID()), community: course, body: "x", learningEvent: LearningEventID(UUID())),
            as: .member(trainer))
    }

    @Test("mentoring: named and open requests, capacity, no self-mentoring, ending frees a place")
    func mentoring() async throws {
        let org = try Organisation()
        let mentor = try await org.member("Maria", leadership: .senior)
        let first = try await org.member("Nina")
        let second = try await org.member("Noah")
        let community = try await org.community("Newcomers", owner: mentor)
        try await org.run(JoinCommunity(community: community), as: .member(second))
        let early = MentoringID(UUID())
        try await org.expectRejection(.invalidState, RequestMentoring(mentoring: early, mentor: mentor), as: .member(first))
        try await org.expectRejection(
            .invalidField, field: "capacity", OfferMentoring(topics: ["swift"], capacity: 0), as: .member(mentor))
        try await org.run(OfferMentoring(topics: ["swift", "career"], capacity: 1), as: .member(mentor))
        try await org.expectRejection(.selfMentoring, RequestMentoring(mentoring: early, mentor: mentor), as: .member(mentor))
        try await org.expectRejection(
            .invalidField, field: "mentor", RequestMentoring(mentoring: early, mentor: mentor, community: community),
            as: .member(first))
        try await org.run(RequestMentoring(mentoring: early, mentor: mentor, message: "Hi!"), as: .member(first))
        try await org.expectRejection(.notFound, RespondToMentoringRequest(mentoring: early, accept: true), as: .member(second))
        try await org.run(RespondToMentoringRequest(mentoring: early, accept: true), as: .member(mentor))
        try await org.expectRejection(
            .invalidState, RespondToMentoringRequest(mentoring: early, accept: true), as: .member(mentor))
        // An open request in a community the mentor belongs to; the mentor is full.
        let open = MentoringID(UUID())
        try await org.expectRejection(.notMember, RequestMentoring(mentoring: open, community: community), as: .member(first))
        try await org.run(RequestMentoring(mentoring: open, community: community), as: .member(second))
        try await org.expectRejection(
            .capacityReached, RespondToMentoringRequest(mentoring: open, accept: true), as: .member(mentor))
        try await org.expectRejection(
            .invalidField, field: "capacity", OfferMentoring(topics: [], capacity: 0), as: .member(mentor))
        try await org.run(LogMentoringSession(mentoring: early, date: org.now, durationMinutes: 45), as: .member(first))
        try await org.expectRejection(
            .invalidField, field: "duration_minutes", LogMentoringSession(mentoring: early, date: org.now, durationMinutes: 0),
            as: .member(first))
        try await org.expectRejection(
            .notFound, LogMentoringSession(mentoring: early, date: org.now, durationMinutes: 5), as: .member(second))
        try await org.run(SetMentoringGoal(mentoring: early, goal: "Ship a first feature"), as: .member(mentor))
        try await org.expectRejection(.invalidState, EndMentoring(mentoring: early, outcome: .withdrawn), as: .member(first))
        try await org.run(EndMentoring(mentoring: early, outcome: .completed), as: .member(first))
        try await org.expectRejection(
            .invalidState, SetMentoringGoal(mentoring: early, goal: "more"), as: .member(mentor))
        try await org.run(RespondToMentoringRequest(mentoring: open, accept: true), as: .member(mentor))
        let state = try await org.service.input(for: [mentor.mentorStream]).mentor(mentor)
        #expect(state?.mentees == [open: second])
    }

    @Test("devices: valid keys only; members revoke their own; operators any")
    func devices() async throws {
        let org = try Organisation()
        let ada = try await org.member("Ada")
        let bob = try await org.member("Bob")
        let ed25519Key = Base64URL.encode([UInt8](repeating: 7, count: 32))
        let device = DeviceID(UUID())
        try await org.expectRejection(
            .invalidField, field: "public_key",
            EnrollDevice(device: device, algorithm: .ed25519, publicKey: Base64URL.encode([1, 2, 3])), as: .member(ada))
        try await org.expectRejection(
            .invalidField, field: "public_key",
            EnrollDevice(device: device, algorithm: .es256, publicKey: ed25519Key), as: .member(ada))
        try await org.expectRejection(
            .forbidden, EnrollDevice(device: device, member: bob, algorithm: .ed25519, publicKey: ed25519Key), as: .member(ada))
        try await org.run(
            EnrollDevice(device: device, algorithm: .ed25519, publicKey: ed25519Key, name: "Phone"), as: .member(ada))
        try await org.expectRejection(
            .alreadyExists, EnrollDevice(device: device, algorithm: .ed25519, publicKey: ed25519Key), as: .member(ada))
        try await org.expectRejection(.notFound, RevokeDevice(device: device), as: .member(bob))
        try await org.run(RevokeDevice(device: device), as: .operator)
        try await org.expectRejection(.invalidState, RevokeDevice(device: device), as: .member(ada))
    }
}
