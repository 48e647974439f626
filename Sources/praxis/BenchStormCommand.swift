import ArgumentParser
import Foundation
import PraxisCommands
import PraxisProtocol

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

extension Bench {
    /// The retry storm of the fault suite: devices that resend every batch and lose answers.
    struct Storm: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Devices push batches, resending each 1–3 times with random delays and lost answers, then pull.",
            discussion: """
                For the fault suite (RELIABILITY.md). Each of --devices enrolled devices of MEMBER pushes \
                --batches batches of signed posts. Every batch is sent one to three times, each time \
                signed anew; all but the last attempt lose their answer (the client gives up after a \
                few milliseconds, whether or not the server got the request), with random pauses \
                between. The last attempt is retried until it is answered, and every event of the \
                batch must then be `accepted` or `duplicate`. Then each device pulls everything, and a \
                device enrolled beforehand but silent until then pulls everything too: the server's \
                state for MEMBER. \
                Prints one JSON object: what each device pushed and pulled, the fresh device's pull, \
                and how many answers were lost.

                \(BenchTarget.writesRealEvents)
                """)

        @OptionGroup var target: BenchTarget
        @Option(help: "Concurrent devices.") var devices = 4
        @Option(help: "Batches per device.") var batches = 10
        @Option(help: "Events per batch.") var batch = 5
        @Option(help: "Seed of the random resends, losses and pauses.") var seed: UInt64 = 1

        func validate() throws {
            guard (1...64).contains(devices), (1...1000).contains(batches), (1...500).contains(batch) else {
                throw ValidationError("--devices 1–64, --batches 1–1000, --batch 1–500 (the push limit)")
            }
        }

        func run() async throws {
            let stormers = try await target.enroll(devices)
            // Enrolled now, so that its own enrollment is no news to the others when all pull.
            let fresh = try await target.enroll(1)[0]
            let (url, community, batches, batch, seed) = (target.url, target.community, batches, batch, seed)
            let storms = try await withThrowingTaskGroup(of: StormingDevice.self) { group in
                for (index, device) in stormers.enumerated() {
                    group.addTask {
                        var storm = StormingDevice(device: device, seed: seed &+ UInt64(index))
                        for number in 1...batches {
                            try await storm.push(number: Int64(number), url: url, community: community, events: batch)
                        }
                        return storm
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            // The storm is over: every device pulls what the server has for it.
            var reports: [JSONValue] = []
            for storm in storms {
                let pulled = try await storm.device.pullAll(url: url)
                reports.append([
                    "device": .string(storm.device.id), "pushed": .array(storm.pushed.map { .string($0) }),
                    "pulled": .array(pulled.map { .string($0) }), "attempts": .number(Double(storm.attempts)),
                    "lost_answers": .number(Double(storm.lostAnswers)),
                ])
            }
            let reference = try await fresh.pullAll(url: url)
            printJSON(["devices": .array(reports), "reference": .array(reference.map { .string($0) })])
        }
    }
}

/// A device in the storm: resends, loses answers, pauses; counts what it did.
struct StormingDevice {
    let device: BenchDevice
    var random: SplitMix64
    /// Ids of the events of every batch pushed (all answered `accepted` or `duplicate` in the end).
    var pushed: [String] = []
    var attempts = 0
    var lostAnswers = 0

    init(device: BenchDevice, seed: UInt64) {
        self.device = device
        random = SplitMix64(seed: seed)
    }

    /// Sends batch `number` one to three times; the last attempt is retried until answered.
    mutating func push(number: Int64, url: String, community: String, events: Int) async throws {
        let body = device.batch(number: number, community: community, events: events)
        let sends = Int.random(in: 1...3, using: &random)
        for _ in 1..<sends {
            var request = try device.signed("POST", "/v1/sync/push", body: body, url: url)
            // Gives up before (or while) the server answers: the answer is lost either way.
            request.timeoutInterval = Double.random(in: 0.002...0.03, using: &random)
            attempts += 1
            lostAnswers += 1
            _ = try? await URLSession.shared.data(for: request)
            try await Task.sleep(for: .milliseconds(Int.random(in: 0...40, using: &random)))
        }
        let answer = try await answered(body: body, url: url)
        let results = answer["results"]?.arrayValue ?? []
        guard results.count == events,
            results.allSatisfy({ $0["status"] == "accepted" || $0["status"] == "duplicate" })
        else {
            throw CLIFailure(
                "batch \(number) was not taken whole: \(String(decoding: CanonicalJSON.encode(answer), as: UTF8.self).prefix(400))"
            )
        }
        pushed += results.compactMap { $0["id"]?.stringValue }
    }

    /// The last attempt: resent (signed anew) after `503`/`429`/`409 batch_conflict` or a
    /// dropped connection until the server answers, for at most a minute.
    private mutating func answered(body: [UInt8], url: String) async throws -> JSONValue {
        let deadline = ContinuousClock.now + .seconds(60)
        while true {
            attempts += 1
            let request = try device.signed("POST", "/v1/sync/push", body: body, url: url)
            do {
                let (data, response) = try await URLSession.shared.data(for: request)
                let status = (response as? HTTPURLResponse)?.statusCode ?? 0
                let value = try? JSONParser.parse(Array(data))
                if status == 200, let value { return value }
                let code = value?["error"]?["code"]?.stringValue ?? ""
                guard [429, 503].contains(status) || code == "batch_conflict", ContinuousClock.now < deadline else {
                    throw CLIFailure("a resent batch answered \(status): \(String(decoding: data, as: UTF8.self).prefix(400))")
                }
            } catch let error as URLError where ContinuousClock.now < deadline {
                _ = error  // the connection dropped: resend
            }
            try await Task.sleep(for: .milliseconds(Int.random(in: 20...200, using: &random)))
        }
    }
}
