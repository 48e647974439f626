import Foundation
import PraxisCommands
import PraxisDomain
import PraxisProtocol
import PraxisStore
import Testing

/// Several writers on one log, each with its own service (and cache), as separate processes or
/// server nodes would be: expected versions and retries keep every decision consistent.
@Suite("Concurrent writers")
struct ConcurrencyTests {
    @Test("concurrent joins through two services all succeed, each once")
    func concurrentJoins() async throws {
        let org = try Organisation()
        let owner = try await org.member("Olga")
        let community = try await org.community("Swift", owner: owner)
        var joiners: [MemberID] = []
        for index in 0..<24 { joiners.append(try await org.member("J\(index)")) }
        let services = [org.service, CommandService(store: org.store), CommandService(store: org.store)]
        try await withThrowingTaskGroup(of: Void.self) { group in
            for (index, joiner) in joiners.enumerated() {
                let service = services[index % services.count]
                group.addTask { try await service.execute(JoinCommunity(community: community), as: .member(joiner)) }
            }
            try await group.waitForAll()
        }
        let state = try #require(try await CommandService(store: org.store).input(for: [community.stream]).community(community))
        #expect(state.members.count == 25)
        let joins = try await org.store.readStream(community.stream, direction: .forward, from: nil, limit: 100)
        #expect(joins.filter { $0.type.rawValue == "member_joined" }.count == 24)
    }

    @Test("the last place of a mentor's capacity goes to exactly one of two concurrent acceptances")
    func capacityRace() async throws {
        for round in 0..<5 {
            let org = try Organisation()
            let mentor = try await org.member("Maria\(round)")
            let first = try await org.member("Nina")
            let second = try await org.member("Noah")
            try await org.run(OfferMentoring(topics: [], capacity: 1), as: .member(mentor))
            let links = [MentoringID(UUID()), MentoringID(UUID())]
            try await org.run(RequestMentoring(mentoring: links[0], mentor: mentor), as: .member(first))
            try await org.run(RequestMentoring(mentoring: links[1], mentor: mentor), as: .member(second))
            let services = [CommandService(store: org.store), CommandService(store: org.store)]
            // Both services have seen the offer with a free place before they race.
            for service in services { _ = try await service.input(for: [mentor.mentorStream]) }
            let outcomes = await withTaskGroup(of: Bool.self) { group in
                for (service, link) in zip(services, links) {
                    group.addTask {
                        (try? await service.execute(RespondToMentoringRequest(mentoring: link, accept: true), as: .member(mentor)))
                            != nil
                    }
                }
                return await group.reduce(into: [Bool]()) { $0.append($1) }
            }
            #expect(outcomes.filter { $0 }.count == 1, "round \(round): \(outcomes)")
            let ledger = try await CommandService(store: org.store).input(for: [mentor.mentorStream]).mentor(mentor)
            #expect(ledger?.mentees.count == 1)
        }
    }
}
