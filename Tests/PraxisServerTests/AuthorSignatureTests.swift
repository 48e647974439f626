import Foundation
import Hummingbird
import HummingbirdTesting
import PraxisProtocol
import PraxisServer
import PraxisStore
import PraxisSync
import Testing

/// `praxis audit verify`'s last check: every device signature against the key the log says the
/// device had at that position.
@Suite("Audit: author signatures")
struct AuthorSignatureTests {
    @Test("pushed events verify; a forged, an unknown and a post-revocation signature are each found at their position")
    func authorSignatures() async throws {
        let fixture = try ServerFixture(maximumBodyBytes: 1 << 20)
        try await fixture.application.test(.live) { client in
            let org = try await SyncRouteTests.Organisation(CommandRouteTests.Client(client: client))
            var phone = try await TestDevice.enroll(
                .es256, member: org.ada.id, client: client, serverKey: fixture.treeHeadKey.publicKey)
            _ = phone.post(in: org.guild, title: "One")
            _ = phone.post(in: org.guild, title: "Two")
            #expect(try await phone.push(client).status == .ok)
            let verifier = AuthorSignatureVerifier(store: fixture.store)
            let intact = try await verifier.verify()
            #expect(intact.fault == nil)
            #expect(intact.signedEvents == 2)

            // A store takes any bytes; the audit is what notices.
            func appended(_ event: AuthoredEvent) async throws -> LogPosition {
                try #require(try await fixture.store.append([event]).events.first?.position)
            }
            func expectFault(at position: LogPosition, _ text: String) async throws {
                let result = try await verifier.verify()
                #expect(result.fault?.position == position)
                #expect(result.fault?.message.contains(text) == true, "\(String(describing: result.fault))")
            }
            let forgedEvent = phone.write("post_deleted", stream: "post/\(UUID().wireString)", ["post": "x"])
            let forged = try await appended(forgedEvent.signed(with: DeviceSigningKey(.es256), keyID: phone.id))
            try await expectFault(at: forged, "does not verify")
        }
    }

    @Test("a signature by a device the log never enrolled, or revoked before, is a fault")
    func unknownAndRevoked() async throws {
        let fixture = try ServerFixture(maximumBodyBytes: 1 << 20)
        try await fixture.application.test(.live) { client in
            let org = try await SyncRouteTests.Organisation(CommandRouteTests.Client(client: client))
            var stranger = TestDevice(
                id: UUID().wireString, member: org.ada.id, key: DeviceSigningKey(.ed25519), serverKey: [])
            let unknown = try #require(
                try await fixture.store.append([stranger.write("post_deleted", stream: "post/p", ["post": "p"])]).events.first)
            let verifier = AuthorSignatureVerifier(store: fixture.store)
            #expect(try await verifier.verify().fault?.position == unknown.position)
            #expect(try await verifier.verify().fault?.message.contains("no earlier event enrolled") == true)
        }
        let second = try ServerFixture(maximumBodyBytes: 1 << 20)
        try await second.application.test(.live) { client in
            let org = try await SyncRouteTests.Organisation(CommandRouteTests.Client(client: client))
            var phone = try await TestDevice.enroll(
                .ed25519, member: org.ada.id, client: client, serverKey: second.treeHeadKey.publicKey)
            let late = phone.write("post_deleted", stream: "post/p", ["post": "p"])
            #expect(
                try await client.execute(uri: "/v1/operator/devices/\(phone.id)/revoke", method: .post, headers: operatorHeaders)
                    .status == .ok)
            let position = try #require(try await second.store.append([late]).events.first?.position)
            let result = try await AuthorSignatureVerifier(store: second.store).verify()
            #expect(result.fault?.position == position)
            #expect(result.fault?.message.contains("revoked at position") == true)
        }
    }
}
