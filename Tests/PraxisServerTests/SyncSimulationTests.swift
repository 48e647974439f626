import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import PraxisCommands
import PraxisDomain
import PraxisProjections
import PraxisProtocol
import PraxisServer
import PraxisStore
import Testing

/// Several members and devices work offline and sync through faults — lost answers, re-sent and
/// reordered batches, duplicated pull pages, clock skew, a member removed from a secret
/// community while offline, a device revoked midway. At the end every device holds exactly what
/// the read models show its member: no duplicate, no lost accepted event, no leaked event.
@Suite("Sync: simulation")
struct SyncSimulationTests {
    /// Seeded dice, so a failing seed can be replayed.
    struct Dice {
        var generator: SplitMix64
        init(seed: UInt64) { generator = SplitMix64(seed: seed) }
        mutating func below(_ n: Int) -> Int { Int.random(in: 0..<n, using: &generator) }
        mutating func chance(_ percent: Int) -> Bool { below(100) < percent }
    }

    @Test("devices converge on the read models through faults", arguments: [1, 2, 3, 4, 5, 6] as [UInt64])
    func converge(seed: UInt64) async throws {
        let fixture = try ServerFixture(maximumBodyBytes: 1 << 20)
        try await fixture.application.test(.live) { client in
            let api = CommandRouteTests.Client(client: client)
            let org = try await SyncRouteTests.Organisation(api)
            let ben: (id: String, token: String) = try await api.member("Ben")
            let cem: (id: String, token: String) = try await api.member("Cem")
            for member in [ben, cem] {
                #expect(try await api.send(.post, "/v1/communities/\(org.guild)/join", token: member.token).status == .ok)
                _ = try await api.send(
                    .post, "/v1/communities/\(org.council)/invitations", token: org.olga.token, ["member": .string(member.id)])
                #expect(
                    try await api.send(.post, "/v1/communities/\(org.council)/invitation/accept", token: member.token).status
                        == .ok)
            }
            let serverKey = fixture.treeHeadKey.publicKey
            var devices = [
                try await TestDevice.enroll(.ed25519, member: org.olga.id, client: client, serverKey: serverKey),
                try await TestDevice.enroll(.es256, member: org.ada.id, client: client, serverKey: serverKey),
                try await TestDevice.enroll(.ed25519, member: org.ada.id, client: client, serverKey: serverKey),
                try await TestDevice.enroll(.ed25519, member: ben.id, client: client, serverKey: serverKey),
                try await TestDevice.enroll(.es256, member: cem.id, client: client, serverKey: serverKey),
            ]
            let (tablet, benPhone, cemPhone) = (2, 3, 4)
            devices[0].clockOffset = -120_000
            devices[cemPhone].clockOffset = 90_000
            devices[benPhone].clockOffset = 8 * 60_000  // beyond the bound: corrected from the server's answer
            var dice = Dice(seed: seed)
            var revoked: Set<Int> = []
            var removalPosition: Int64?
            var cemsLatePost = ""
            var cemsLateEvent = ""
            var faults = Faults()

            for round in 1...8 {
                if round == 4 {
                    // Cem is removed from the secret council while his phone is offline.
                    let removed = try await api.send(
                        .delete, "/v1/communities/\(org.council)/members/\(cem.id)", token: org.olga.token)
                    #expect(removed.status == .ok)
                    removalPosition = try await fixture.store.head().value
                }
                if round == 6 {
                    let revokedAnswer = try await client.execute(
                        uri: "/v1/operator/devices/\(devices[tablet].id)/revoke", method: .post, headers: operatorHeaders)
                    #expect(revokedAnswer.status == .ok)
                    revoked.insert(tablet)
                    _ = devices[tablet].post(in: org.guild, title: "Written after revocation")
                    let refused = try await devices[tablet].push(client)
                    #expect(refused.errorCode == "device_revoked")
                }
                for index in devices.indices where !revoked.contains(index) {
                    Self.workOffline(&devices[index], org: org, round: round, dice: &dice)
                    if index == cemPhone && round == 4 {
                        cemsLatePost = devices[index].post(in: org.council, title: "Cem, unaware he was removed")
                        cemsLateEvent = try #require(devices[index].outbox.last?.envelope.id.wireString)
                    }
                    if index == cemPhone && round == 4 { continue }  // still offline when removed
                    try await Self.sync(&devices[index], client: client, dice: &dice, faults: &faults)
                }
            }
            // Everyone comes online and settles.
            for index in devices.indices where !revoked.contains(index) {
                for _ in 0..<4 where !devices[index].outbox.isEmpty {
                    let answer = try await devices[index].push(client)
                    #expect(answer.status == .ok, "\(String(buffer: answer.body))")
                }
                #expect(devices[index].outbox.isEmpty)
            }
            for index in devices.indices where !revoked.contains(index) {
                try await devices[index].pullAll(client)
            }

            try await fixture.backend.engine.prepare()
            try await fixture.backend.engine.catchUp()
            let queries = ReadModelQueries(readModels: fixture.backend.readModels)
            for index in devices.indices where !revoked.contains(index) {
                let device = devices[index]
                let member = try #require(MemberID(device.member))
                for community in [org.guild, org.council] {
                    let expected = try await Self.readModel(queries, community: community, member: member)
                    let held = device.posts.filter { $0.value.community == community }.mapValues {
                        Expected(title: $0.title, comments: $0.comments.count)
                    }
                    #expect(held == expected, "device \(index), community \(community == org.guild ? "guild" : "council")")
                }
                // No lost accepted event: each receipt's position holds that event.
                let ids = device.receipts.keys.compactMap { UUID(wireString: $0) }
                let stored = try await fixture.store.recordedEvents(ids: ids)
                for (id, position) in device.receipts {
                    #expect(stored[try #require(UUID(wireString: id))]?.position.value == position)
                }
                // The server sent each position once, even when the device applied a page twice.
                #expect(Set(device.delivered).count == device.delivered.count)
            }
            // No leaked event: after his removal Cem's phone received nothing of the council.
            let councilStreams = try await Self.streams(of: org.council, in: fixture.store)
            let cemAfterRemoval = devices[cemPhone].received.filter { $0.position > (removalPosition ?? .max) }
            #expect(cemAfterRemoval.allSatisfy { !councilStreams.contains($0.stream) })
            #expect(devices[cemPhone].posts.values.allSatisfy { $0.community != org.council })
            #expect(devices[cemPhone].posts[cemsLatePost] == nil)
            // A secret community answers outsiders not_found, so its existence does not leak.
            #expect(devices[cemPhone].rejections[cemsLateEvent] == "not_found", "Cem's offline council post is refused")
            #expect(faults.reordered > 0 && faults.lost > 0 && faults.duplicated > 0 && faults.clockCorrected == 1)
            #expect(devices[benPhone].clockOffset < 300_000, "Ben's phone corrected its clock from stale_request")
            // The log holds each event id once (the store's unique index) and verifies.
            let statistics = try await fixture.store.statistics()
            #expect(statistics.countsByType[EventTypeName("sync_batch_recorded")!, default: 0] > 0)
        }
    }

    /// How often each fault happened, so a run that dodged them all fails.
    struct Faults {
        var reordered = 0
        var lost = 0
        var duplicated = 0
        var clockCorrected = 0
    }

    struct Expected: Equatable {
        let title: String
        let comments: Int
    }

    /// A few things a member does offline: post, comment, edit and delete their own posts.
    static func workOffline(_ device: inout TestDevice, org: SyncRouteTests.Organisation, round: Int, dice: inout Dice) {
        let communities = [org.guild, org.council]
        for _ in 0..<(1 + dice.below(3)) {
            let known = device.posts.keys.sorted()
            let own = known.filter { device.posts[$0]?.authoredBy == device.member }
            switch dice.below(10) {
            case 0...3:
                _ = device.post(in: communities[dice.below(2)], title: "R\(round) post \(dice.below(1000))")
            case 4...6 where !known.isEmpty:
                _ = device.comment(on: known[dice.below(known.count)], "R\(round) comment")
            case 4...6:
                // Comment on a post written offline in the same batch.
                let post = device.post(in: org.guild, title: "R\(round) thread")
                _ = device.comment(on: post, "first!")
            case 7...8 where !own.isEmpty:
                device.edit(own[dice.below(own.count)], title: "R\(round) edited \(dice.below(1000))")
            case 9 where !own.isEmpty:
                device.delete(own[dice.below(own.count)])
            default:
                _ = device.post(in: org.guild, title: "R\(round) note")
            }
        }
    }

    /// Pushes and pulls with the faults of a mobile network.
    static func sync(_ device: inout TestDevice, client: any TestClientProtocol, dice: inout Dice, faults: inout Faults)
        async throws
    {
        let clock = device.clockOffset
        defer { if device.clockOffset != clock { faults.clockCorrected += 1 } }
        if dice.chance(25) && device.outbox.count >= 2 {
            // Reordered delivery: the second half arrives first, then the first half is out of order.
            let half = device.outbox.count / 2
            let (first, second) = (Array(device.outbox[..<half]), Array(device.outbox[half...]))
            let later = device.batch(number: device.nextBatch + 1, events: second)
            let answer = try await device.send(client, .post, "/v1/sync/push", body: later.body)
            try await Self.correctClock(&device, answer, client: client) { device in
                try await device.send(client, .post, "/v1/sync/push", body: later.body)
            }
            let early = device.batch(number: device.nextBatch, events: first)
            device.nextBatch += 2
            let reordered = try await device.send(client, .post, "/v1/sync/push", body: early.body)
            #expect(reordered.status == .conflict)
            #expect(reordered.errorCode == "batch_out_of_order")
            faults.reordered += 1
        } else if dice.chance(30) && !device.outbox.isEmpty {
            // Lost answer: the batch is processed, the answer never arrives, the device re-sends it.
            let batch = device.batch()
            let answer = try await device.send(client, .post, "/v1/sync/push", body: batch.body)
            let first = try await Self.correctClock(&device, answer, client: client) { device in
                try await device.send(client, .post, "/v1/sync/push", body: batch.body)
            }
            let sent = device.outbox
            let resent = try await device.send(client, .post, "/v1/sync/push", body: batch.body)
            #expect(resent.status == .ok, "\(String(buffer: resent.body))")
            #expect(try resent.json == (try first.json), "a re-sent batch gets the first answers")
            device.nextBatch += 1
            try device.settle(try resent.json, sent: sent)
            faults.lost += 1
        } else if !device.outbox.isEmpty {
            let sent = device.outbox
            let answer = try await device.send(client, .post, "/v1/sync/push", body: device.batch().body)
            let final = try await Self.correctClock(&device, answer, client: client) { device in
                try await device.send(client, .post, "/v1/sync/push", body: device.batch().body)
            }
            #expect(final.status == .ok, "\(String(buffer: final.body))")
            device.nextBatch += 1
            try device.settle(try final.json, sent: sent)
        }
        let duplicate = dice.chance(30)
        if duplicate { faults.duplicated += 1 }
        try await device.pullAll(client, duplicateDelivery: duplicate)
    }

    /// The documented recovery from `stale_request`: take the server's time from the answer and retry.
    @discardableResult
    static func correctClock(
        _ device: inout TestDevice, _ answer: TestResponse, client: any TestClientProtocol,
        retry: (inout TestDevice) async throws -> TestResponse
    ) async throws -> TestResponse {
        guard answer.errorCode == "stale_request" else { return answer }
        let server = try #require(try answer.json["error"]?["server_time"]?.stringValue.flatMap(Timestamp.init(rfc3339:)))
        device.clockOffset += server.millisecondsSinceEpoch - device.now.millisecondsSinceEpoch
        return try await retry(&device)
    }

    /// What the read models show `member` of `community`: post id → title and comment count.
    static func readModel(_ queries: ReadModelQueries, community: String, member: MemberID) async throws -> [String: Expected] {
        let id = try #require(CommunityID(community))
        let page: Page
        do {
            page = try await queries.feed(of: id, for: member, kind: nil, unanswered: false, cursor: nil, limit: 1000)
        } catch let failure as QueryFailure where [.notFound, .notMember].contains(failure.code) {
            return [:]
        }
        var posts: [String: Expected] = [:]
        for item in try page.itemValues() {
            let post = try #require(item["post"]?.stringValue)
            posts[post] = Expected(
                title: try #require(item["title"]?.stringValue), comments: Int(try #require(item["comments"]?.integerValue)))
        }
        return posts
    }

    /// The streams of a community and its posts, from the log.
    static func streams(of community: String, in store: SQLiteEventStore) async throws -> Set<String> {
        var streams: Set<String> = ["community/\(community)"]
        var next = LogPosition(1)
        while true {
            let page = try await store.read(from: next, limit: 1000)
            for event in page where event.type.rawValue == "post_created" {
                if event.envelope.payload["community"]?.stringValue == community { streams.insert(event.stream.rawValue) }
            }
            guard let last = page.last else { return streams }
            next = last.position.next
        }
    }
}
