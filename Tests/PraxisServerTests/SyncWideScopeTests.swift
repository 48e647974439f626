import Foundation
import Hummingbird
import HummingbirdTesting
import PraxisProtocol
import PraxisStore
import Testing

@testable import PraxisDomain
@testable import PraxisSync

/// A pull cursor names every community the member holds and travels back in the query. Named by
/// id, 4,000 communities made a cursor longer than the request head the server takes; named by
/// number, it stays short.
@Suite("Sync: a member who may read thousands of communities")
struct SyncWideScopeTests {
    @Test("a member who may read 4,000 open communities pulls them all, with cursors under 1 KiB")
    func thousandsOfCommunities() async throws {
        let fixture = try ServerFixture(maximumBodyBytes: 1 << 20)
        try await fixture.application.test(.live) { client in
            let api = CommandRouteTests.Client(client: client)
            let ada = try await api.member("Ada")
            let creator = try #require(MemberID(ada.0))
            let type = try #require(EventTypeName(CommunityCreated.type))
            // Appended in batches as the server would write them.
            let created = (0..<4_000).map { number in
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
            var cursor: String?
            var communities = Set<String>()
            for _ in 0..<10 {
                let response = try await phone.send(
                    client, .get, "/v1/sync/pull?limit=1000" + (cursor.map { "&cursor=\($0)" } ?? ""))
                #expect(response.status == .ok, "\(String(buffer: response.body))")
                let page = try response.json
                for item in page["events"]?.arrayValue ?? [] where item["event"]?["type"] == "community_created" {
                    communities.insert(item["event"]?["stream"]?.stringValue ?? "")
                }
                cursor = try #require(page["next_cursor"]?.stringValue)
                #expect(try #require(cursor).utf8.count < 1_024)
                if page["has_more"] == false { break }
            }
            #expect(communities == Set(created.map(\.envelope.stream.rawValue)))
        }
    }
}
