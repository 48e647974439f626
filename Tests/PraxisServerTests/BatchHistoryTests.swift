import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import PraxisCommands
import PraxisProtocol
import PraxisStore
import Testing

/// A device's answered batches are looked up in its stream, newest first, in pages that grow: these
/// tests push long histories so that the lookups cross pages, and resend old batches at random.
@Suite("HTTP: sync batch history")
struct BatchHistoryTests {
    @Test(
        "any earlier batch re-sent gets its first answers; a skipped number is out of order; a reused one conflicts",
        arguments: 1...3)
    func longHistory(seed: UInt64) async throws {
        let fixture = try ServerFixture(maximumBodyBytes: 1 << 20)
        try await fixture.application.test(.live) { client in
            var random = SplitMix64(seed: seed)
            let org = try await SyncRouteTests.Organisation(CommandRouteTests.Client(client: client))
            var phone = try await TestDevice.enroll(
                .ed25519, member: org.ada.id, client: client, serverKey: fixture.treeHeadKey.publicKey)
            // Numbers rise with random gaps; each batch carries one new post.
            var sent: [Int64: (body: [UInt8], answer: JSONValue)] = [:]
            var skipped: [Int64] = []
            var number: Int64 = 0
            for index in 0..<40 {
                let gap = Int64(random.next() % 3)
                skipped += (0..<gap).map { number + 1 + $0 }
                number += 1 + gap
                phone.outbox = []
                _ = phone.post(in: org.guild, title: "Post \(index)")
                let body = phone.batch(number: number).body
                let answer = try await phone.send(client, .post, "/v1/sync/push", body: body)
                #expect(answer.status == .ok, "batch \(number): \(String(buffer: answer.body))")
                sent[number] = (body, try answer.json)
            }
            let last = number
            let head = try await fixture.store.head()
            for _ in 0..<12 {
                let numbers = sent.keys.sorted()
                let resent = numbers[Int(random.next() % UInt64(numbers.count))]
                let again = try await phone.send(client, .post, "/v1/sync/push", body: sent[resent]?.body ?? [])
                #expect(again.status == .ok)
                #expect(try again.json == sent[resent]?.answer, "batch \(resent) answered anew")
            }
            for skip in skipped.prefix(6) {
                phone.outbox = []
                _ = phone.post(in: org.guild, title: "Late")
                let late = try await phone.send(client, .post, "/v1/sync/push", body: phone.batch(number: skip).body)
                #expect(late.status == .conflict)
                #expect(late.errorCode == "batch_out_of_order", "batch \(skip)")
                #expect(try late.json["error"]?["last_batch"] == .number(Double(last)))
            }
            let first = try #require(sent.keys.min())
            let reused = try await phone.send(client, .post, "/v1/sync/push", body: phone.batch(number: first).body)
            #expect(reused.errorCode == "batch_conflict")
            #expect(try await fixture.store.head() == head, "nothing written by resends and refusals")
            // The next number above the last is new.
            let next = try await phone.send(client, .post, "/v1/sync/push", body: phone.batch(number: last + 1).body)
            #expect(next.status == .ok)
            #expect(try next.json["results"]?.arrayValue?.first?["status"] == "accepted")
        }
    }
}
