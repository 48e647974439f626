import Foundation
import PraxisCommands
import Testing

@testable import PraxisDomain

@Suite("Loaded streams: folded states carried over new events")
struct LoadedStreamTests {
    @Test(
        "a state asked at any point, then carried over appended events, equals folding every event anew",
        arguments: 1...40)
    func carriedEqualsFolded(seed: UInt64) {
        var random = SplitMix64(seed: seed)
        let events = Self.communityHistory(length: 5 + Int(random.next() % 120), random: &random)
        var loaded = LoadedStream([])
        var seen: [any DomainEvent] = []
        var earlier: [(LoadedStream, CommunityState?)] = []
        while seen.count < events.count {
            let chunk = Array(events[seen.count..<min(events.count, seen.count + 1 + Int(random.next() % 9))])
            loaded = loaded.appending(chunk)
            seen += chunk
            if random.next() % 3 == 0 {
                let state = loaded.state(CommunityState.self)
                #expect(state == CommunityState.fold(seen))
                earlier.append((loaded, state))
            }
        }
        #expect(loaded.state(CommunityState.self) == CommunityState.fold(events))
        #expect(loaded.state(CommunityState.self) == loaded.state(CommunityState.self))
        #expect(loaded.state(PostState.self) == nil, "another state type folds apart, from the same events")
        for (stream, state) in earlier {
            #expect(stream.state(CommunityState.self) == state, "appending never changes the stream appended to")
        }
    }

    @Test("an empty append gives the same stream; a stream of no events has no state")
    func edges() {
        let empty = LoadedStream([])
        #expect(empty.appending([]) === empty)
        #expect(empty.state(CommunityState.self) == nil)
    }

    /// A community created, then members joining, leaving and changing roles, and the community
    /// archived and unarchived, at random.
    static func communityHistory(length: Int, random: inout SplitMix64) -> [any DomainEvent] {
        let community = CommunityID(UUID())
        let members = (0..<6).map { _ in MemberID(UUID()) }
        var events: [any DomainEvent] = [
            CommunityCreated(
                community: community, name: "Practice", description: "", kind: .practice, visibility: .open, tags: [],
                creator: members[0])
        ]
        for _ in 1..<length {
            let member = members[Int(random.next() % UInt64(members.count))]
            switch random.next() % 5 {
            case 0, 1: events.append(MemberJoined(community: community, member: member, role: .member))
            case 2: events.append(MemberLeft(community: community, member: member))
            case 3:
                events.append(
                    MemberRoleChanged(community: community, member: member, role: .moderator, changedBy: members[0]))
            default:
                events.append(
                    random.next() % 2 == 0
                        ? CommunityArchived(community: community) as any DomainEvent
                        : CommunityUnarchived(community: community))
            }
        }
        return events
    }
}
