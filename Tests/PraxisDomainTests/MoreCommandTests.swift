import Foundation
import PraxisCommands
import PraxisDomain
import PraxisProtocol
import PraxisStore
import Testing

@Suite("More commands: updates, cancellations, declines, withdrawals")
struct MoreCommandTests {
    @Test("owners update a community; others may not; fields are checked")
    func updateCommunity() async throws {
        let org = try Organisation()
        let owner = try await org.member("Olga")
        let ada = try await org.member("Ada")
        let community = try await org.community("Swift", owner: owner)
        try await org.run(JoinCommunity(community: community), as: .member(ada))
        try await org.expectRejection(.forbidden, UpdateCommunity(community: community, name: "Mine"), as: .member(ada))
        try await org.expectRejection(
            .invalidField, field: "tags", UpdateCommunity(community: community, tags: ["no spaces"]), as: .member(owner))
        try await org.run(
            UpdateCommunity(community: community, name: "Swift guild", visibility: .closed, tags: ["Swift"]), as: .member(owner))
        let state = try await org.communityState(community)
        #expect(state?.name == "Swift guild")
        #expect(state?.visibility == .closed)
        #expect(state?.tags == ["swift"])
        try await org.expectRejection(
            .alreadyExists, CreateCommunity(community: community, name: "Again", kind: .practice, visibility: .open),
            as: .member(ada))
    }

    @Test("learning events are cancelled by moderators, once, before they end")
    func cancelLearningEvent() async throws {
        let org = try Organisation()
        let trainer = try await org.member("Tina")
        let learner = try await org.member("Lea")
        let course = try await org.community("Course", kind: .learning, owner: trainer)
        try await org.run(JoinCommunity(community: course), as: .member(learner))
        let event = LearningEventID(UUID())
        let start = Timestamp(millisecondsSinceEpoch: org.now.millisecondsSinceEpoch + 3_600_000)
        try await org.run(
            ScheduleLearningEvent(
                learningEvent: event, community: course, title: "T", start: start,
                end: Timestamp(millisecondsSinceEpoch: start.millisecondsSinceEpoch + 3_600_000), backchannel: PostID(UUID())),
            as: .member(trainer))
        try await org.expectRejection(.forbidden, CancelLearningEvent(learningEvent: event), as: .member(learner))
        try await org.run(CancelLearningEvent(learningEvent: event), as: .member(trainer))
        try await org.expectRejection(.invalidState, CancelLearningEvent(learningEvent: event), as: .member(trainer))
        try await org.expectRejection(.invalidState, RSVP(learningEvent: event, response: .going), as: .member(learner))
        try await org.expectRejection(
            .notFound, CancelLearningEvent(learningEvent: LearningEventID(UUID())), as: .member(trainer))
    }

    @Test("named mentors decline; open requests cannot be declined; offers are withdrawn once")
    func declinesAndWithdrawals() async throws {
        let org = try Organisation()
        let mentor = try await org.member("Maria")
        let mentee = try await org.member("Nina")
        let other = try await org.member("Otto")
        let community = try await org.community("Newcomers", owner: mentor)
        try await org.run(JoinCommunity(community: community), as: .member(mentee))
        try await org.run(OfferMentoring(topics: ["swift"], capacity: 2), as: .member(mentor))
        let named = MentoringID(UUID())
        try await org.run(RequestMentoring(mentoring: named, mentor: mentor), as: .member(mentee))
        try await org.expectRejection(.notFound, RespondToMentoringRequest(mentoring: named, accept: false), as: .member(other))
        let declined = try await org.run(
            RespondToMentoringRequest(mentoring: named, accept: false, message: "Full this quarter"), as: .member(mentor))
        #expect(declined.first?.envelope.payload["message"] == "Full this quarter")
        try await org.expectRejection(
            .invalidState, RespondToMentoringRequest(mentoring: named, accept: true), as: .member(mentor))
        let open = MentoringID(UUID())
        try await org.run(RequestMentoring(mentoring: open, community: community), as: .member(mentee))
        try await org.expectRejection(
            .invalidState, RespondToMentoringRequest(mentoring: open, accept: false), as: .member(mentor))
        try await org.run(EndMentoring(mentoring: open, outcome: .withdrawn), as: .member(mentee))
        try await org.run(WithdrawMentoringOffer(), as: .member(mentor))
        try await org.expectRejection(.invalidState, WithdrawMentoringOffer(), as: .member(mentor))
        let late = MentoringID(UUID())
        try await org.expectRejection(.invalidState, RequestMentoring(mentoring: late, mentor: mentor), as: .member(mentee))
    }

    @Test("operators enroll devices for members, and must name one")
    func operatorDevices() async throws {
        let org = try Organisation()
        let ada = try await org.member("Ada")
        let key = Base64URL.encode([UInt8](repeating: 9, count: 32))
        try await org.expectRejection(
            .invalidField, field: "member", EnrollDevice(device: DeviceID(UUID()), algorithm: .ed25519, publicKey: key),
            as: .operator)
        let device = DeviceID(UUID())
        try await org.run(EnrollDevice(device: device, member: ada, algorithm: .ed25519, publicKey: key), as: .operator)
        #expect(try await org.service.input(for: [device.stream]).device(device)?.member == ada)
        try await org.run(RevokeDevice(device: device), as: .member(ada))
    }
}
