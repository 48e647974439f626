import Foundation
import Hummingbird
import HummingbirdTesting
import PraxisProtocol
import PraxisStore
import Testing

@testable import PraxisDomain
@testable import PraxisSync

/// A pull cursor names every community the member holds and travels back in the query, so a
/// member who may read more communities than a cursor holds is refused with a typed error.
@Suite("Sync: the scope a cursor holds")
struct SyncScopeLimitTests {
    @Test("a member who may read more communities than a cursor holds gets 413 scope_too_large, and the server goes on")
    func tooManyCommunities() async throws {
        let fixture = try ServerFixture(maximumBodyBytes: 1 << 20)
        try await fixture.application.test(.live) { client in
            let api = CommandRouteTests.Client(client: client)
            let ada = try await api.member("Ada")
            let creator = try #require(MemberID(ada.0))
            let type = try #require(EventTypeName(CommunityCreated.type))
            // One more open community than a cursor holds, appended in batches as the server would write them.
            let created = (0...SyncCursor.maximumCommunities).map { number in
                let community = CommunityID(UUID())
                let event = CommunityCreated(
                    community: community, name: "Practice \(number)", description: "", kind: .practice, visibility: .open,
                    tags: [], creator: creator)
                return AuthoredEvent(
                    EventEnvelope(
                        id: UUID(), stream: community.stream, type: type,
                        schemaVersion: CommunityCreated.schemaVersion, payload: EventCoding.payload(of: event),
                        metadata: EventMetadata(actor: creator.uuid)))
            }
            for start in stride(from: 0, to: created.count, by: 500) {
                _ = try await fixture.store.append(Array(created[start..<min(start + 500, created.count)]), conditions: [:])
            }
            var phone = try await TestDevice.enroll(
                .ed25519, member: ada.0, client: client, serverKey: fixture.treeHeadKey.publicKey)
            let refused = try await phone.send(client, .get, "/v1/sync/pull")
            #expect(refused.status == .contentTooLarge)
            #expect(refused.errorCode == "scope_too_large")
            #expect(try await phone.send(client, .get, "/health").status == .ok)
        }
    }
}
