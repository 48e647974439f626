import Foundation
import HummingbirdTesting
import PraxisProtocol
import PraxisStore
import Testing

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// Batches that arrive while another is decided wait and are then decided together and appended
/// in one transaction (group commit). Whatever group a batch lands in, its answer must be the one
/// it would get alone at its place in the log.
@Suite("Sync: many devices pushing at once")
struct SyncGroupCommitTests {
    @Test(
        "batches pushed at once are each decided as if alone, in log order: accepted events once where their receipts say, rejected ones nowhere, one record per batch"
    )
    func manyDevicesAtOnce() async throws {
        let fixture = try ServerFixture(maximumBodyBytes: 1 << 20)
        try await fixture.application.test(.live) { client in
            let org = try await SyncRouteTests.Organisation(CommandRouteTests.Client(client: client))
            let key = fixture.treeHeadKey.publicKey
            var devices: [TestDevice] = []
            for index in 0..<8 {
                devices.append(
                    try await TestDevice.enroll(
                        index.isMultiple(of: 2) ? .ed25519 : .es256, member: index < 4 ? org.ada.id : org.olga.id,
                        client: client, serverKey: key))
            }
            // The test client sends one request at a time; these pushes go over connections of
            // their own so that they reach the server together.
            let port = try #require(client.port)
            let rounds = 5
            // Comments (by event id) on a post another device creates in the same round: accepted
            // only when that device's batch comes first in the log.
            var sameRoundComments: [(comment: String, post: String, device: Int, batch: Int64)] = []
            var nowhere: Set<String> = []
            for round in 1...rounds {
                var posts: [String] = []
                for index in devices.indices {
                    devices[index].outbox = []
                    let post = devices[index].post(in: org.guild, title: "Round \(round), device \(index)")
                    _ = devices[index].comment(on: post, "On my own post")
                    posts.append(post)
                }
                for index in devices.indices {
                    let neighbour = posts[(index + devices.count - 1) % devices.count]
                    _ = devices[index].comment(on: neighbour, "On my neighbour's post")
                    let comment = try #require(devices[index].outbox.last?.envelope.id.wireString)
                    sameRoundComments.append((comment, neighbour, index, devices[index].nextBatch))
                    _ = devices[index].comment(on: UUID().wireString, "On a post that never was")
                    nowhere.insert(try #require(devices[index].outbox.last?.envelope.id.wireString))
                }
                let pushed = try await withThrowingTaskGroup(of: (Int, TestDevice).self) { group in
                    for index in devices.indices {
                        let device = devices[index]
                        group.addTask {
                            var copy = device
                            try await copy.pushOverOwnConnection(port: port)
                            return (index, copy)
                        }
                    }
                    return try await group.reduce(into: []) { $0.append($1) }
                }
                for (index, device) in pushed { devices[index] = device }
            }

            let log = try await fixture.store.read(from: LogPosition(1), limit: 10_000)
            var positions: [String: Int64] = [:]
            for recorded in log {
                let id = recorded.event.envelope.id.wireString
                #expect(positions[id] == nil, "event \(id) is in the log once")
                positions[id] = recorded.position.value
            }
            var created: [String: Int64] = [:]  // post id → position of its post_created
            for recorded in log where recorded.event.envelope.type.rawValue == "post_created" {
                created[String(recorded.event.envelope.stream.rawValue.dropFirst("post/".count))] = recorded.position.value
            }
            var records: [String: Int64] = [:]
            for recorded in log where recorded.event.envelope.type.rawValue == "sync_batch_recorded" {
                let payload = recorded.event.envelope.payload
                let device = try #require(payload["device"]?.stringValue)
                let batch = try #require(payload["batch"]?.integerValue)
                records["\(device)#\(batch)"] = recorded.position.value
            }
            #expect(records.count == devices.count * rounds, "one record per batch")
            for device in devices {
                for (id, position) in device.receipts { #expect(positions[id] == position, "\(id) is where its receipt says") }
                for id in device.rejections.keys { #expect(positions[id] == nil, "rejected \(id) is not in the log") }
                // Every post and the comment on it, from every round.
                #expect(device.receipts.count >= 2 * rounds)
            }
            for id in nowhere {
                #expect(devices.contains { $0.rejections[id] != nil }, "a comment on a missing post is rejected")
            }
            // Devices comment on each other's new posts in a ring, so in whatever order the batches
            // land, each round has at least one comment before its post and one after.
            let accepted = sameRoundComments.filter { positions[$0.comment] != nil }.count
            #expect(accepted >= rounds && accepted <= sameRoundComments.count - rounds)
            for entry in sameRoundComments {
                let post = try #require(created[entry.post])
                let record = try #require(records["\(devices[entry.device].id)#\(entry.batch)"])
                if let comment = positions[entry.comment] {
                    #expect(post < comment, "an accepted comment follows its post")
                } else {
                    #expect(
                        post > record,
                        "a comment was rejected only if its post came after its batch: \(devices[entry.device].rejections[entry.comment] ?? "?")"
                    )
                }
            }
        }
    }

    @Test("copies of one device's batch sent at once over connections of their own are decided once and answered alike")
    func copiesAtOnce() async throws {
        let fixture = try ServerFixture(maximumBodyBytes: 1 << 20)
        try await fixture.application.test(.live) { client in
            let org = try await SyncRouteTests.Organisation(CommandRouteTests.Client(client: client))
            let port = try #require(client.port)
            var phone = try await TestDevice.enroll(
                .ed25519, member: org.ada.id, client: client, serverKey: fixture.treeHeadKey.publicKey)
            let batches: Int64 = 12
            for number in 1...batches {
                phone.outbox = []
                for index in 0..<3 { _ = phone.post(in: org.guild, title: "Batch \(number), post \(index)") }
                let sender = phone
                let answers = try await withThrowingTaskGroup(of: JSONValue?.self) { group in
                    for _ in 0..<4 {
                        group.addTask {
                            var copy = sender
                            return try await copy.pushOverOwnConnection(port: port)
                        }
                    }
                    return try await group.reduce(into: []) { $0.append($1) }
                }
                let results = answers.map { $0?["results"] }
                #expect(results.allSatisfy { $0 == results[0] && $0 != nil }, "batch \(number): \(results)")
                phone.nextBatch += 1
            }
            let log = try await fixture.store.read(from: LogPosition(1), limit: 10_000)
            #expect(log.filter { $0.event.envelope.type.rawValue == "sync_batch_recorded" }.count == Int(batches))
            #expect(log.filter { $0.event.envelope.type.rawValue == "post_created" }.count == 3 * Int(batches))
        }
    }
}

extension TestDevice {
    /// Pushes the outbox as one batch over a connection of its own, settles the answer and
    /// returns it (`nil` when the server refused the batch).
    @discardableResult
    mutating func pushOverOwnConnection(port: Int) async throws -> JSONValue? {
        let sent = outbox
        let body = batch().body
        let path = "/v1/sync/push"
        let signature = RequestSignature(
            method: "POST", path: path, body: body, device: id, timestamp: now,
            nonce: Base64URL.encode((0..<16).map { _ in UInt8.random(in: 0...255, using: &random) }))
        var request = URLRequest(url: try #require(URL(string: "http://127.0.0.1:\(port)\(path)")))
        request.httpMethod = "POST"
        request.httpBody = Data(body)
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        for (name, value) in signature.headers(signedWith: key) { request.setValue(value, forHTTPHeaderField: name) }
        let (data, response) = try await URLSession.shared.data(for: request)
        let status = (response as? HTTPURLResponse)?.statusCode
        #expect(status == 200, "\(String(decoding: data, as: UTF8.self))")
        guard status == 200 else { return nil }
        nextBatch += 1
        let answer = try JSONParser.parse([UInt8](data))
        try settle(answer, sent: sent)
        return answer
    }
}
