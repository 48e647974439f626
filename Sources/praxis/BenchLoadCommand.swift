import ArgumentParser
import Foundation
import PraxisProtocol

extension Bench {
    /// Many devices pushing and pulling at once, for the fault suite's load scenario.
    struct Load: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Concurrent devices that push and pull in a loop; reports errors and p50/p99 latencies.",
            discussion: """
                For the fault suite (RELIABILITY.md). Enrolls --clients devices of MEMBER, then each \
                repeats for --seconds: push a batch of two signed posts, pull the next page from its \
                cursor. Prints `{"started": true}` once the load begins, then one JSON report: \
                requests, errors (with samples) and p50/p99 latencies of pushes and pulls after \
                --warm-up seconds.

                \(BenchTarget.writesRealEvents)
                """)

        @OptionGroup var target: BenchTarget
        @Option(help: "Concurrent clients, one device each.") var clients = 100
        @Option(help: "How long the load lasts, in seconds.") var seconds = 30
        @Option(help: "Seconds at the start left out of the latencies.") var warmUp = 5
        @Option(
            help: ArgumentHelp(
                "push-pull: push two posts, pull a page, again; pull: pull pages from the start, again and again; health: GET /health (the same client's trivial limit).",
                valueName: "mix"))
        var mix = LoadMix.pushPull

        func validate() throws {
            guard (1...2000).contains(clients), (1...86_400).contains(seconds), (0..<seconds).contains(warmUp) else {
                throw ValidationError("--clients 1–2000, --seconds 1–86400, --warm-up below --seconds")
            }
        }

        func run() async throws {
            let devices = try await target.enroll(clients)
            let server = try BenchDevice.endpoint(target.url)
            let start = ContinuousClock.now
            let (end, measured) = (start + .seconds(seconds), start + .seconds(warmUp))
            printJSON(["started": true])
            let (url, community, mix) = (target.url, target.community, mix)
            // Each client has its own connection and thread (see `PlainHTTPConnection`).
            let tallies = try await withThrowingTaskGroup(of: LoadTally.self) { group in
                for device in devices {
                    group.addTask {
                        try await onOwnThread {
                            var client = LoadClient(device: device, server: server, url: url, community: community, mix: mix)
                            client.run(until: end, measuringFrom: measured)
                            return client.tally
                        }
                    }
                }
                return try await group.reduce(into: LoadTally()) { $0.merge($1) }
            }
            printJSON(tallies.report(clients: clients, seconds: seconds - warmUp))
        }
    }
}

/// What each client of `praxis bench load` does in a loop.
enum LoadMix: String, ExpressibleByArgument, CaseIterable, Sendable {
    case pushPull = "push-pull"
    case pull
    case health
}

/// What the clients saw: request counts, errors and latencies (in milliseconds).
struct LoadTally {
    var pushes: [Double] = []
    var pulls: [Double] = []
    var others: [Double] = []
    var requests = 0
    var errors = 0
    var errorSamples: [String] = []

    mutating func merge(_ other: LoadTally) {
        pushes += other.pushes
        pulls += other.pulls
        others += other.others
        requests += other.requests
        errors += other.errors
        errorSamples += other.errorSamples.prefix(max(0, 5 - errorSamples.count))
    }

    mutating func fail(_ message: String) {
        errors += 1
        if errorSamples.count < 5 { errorSamples.append(String(message.prefix(300))) }
    }

    func report(clients: Int, seconds: Int) -> JSONValue {
        func percentiles(_ values: [Double]) -> JSONValue {
            let sorted = values.sorted()
            func at(_ fraction: Double) -> JSONValue {
                sorted.isEmpty
                    ? .null : .number((sorted[min(sorted.count - 1, Int(Double(sorted.count) * fraction))] * 10).rounded() / 10)
            }
            return ["count": .number(Double(sorted.count)), "p50_ms": at(0.5), "p99_ms": at(0.99)]
        }
        return [
            "clients": .number(Double(clients)), "requests": .number(Double(requests)), "errors": .number(Double(errors)),
            "error_samples": .array(errorSamples.map { .string($0) }),
            "requests_per_second": .number(
                (Double(pushes.count + pulls.count + others.count) / Double(max(1, seconds))).rounded()),
            "push": percentiles(pushes), "pull": percentiles(pulls), "health": percentiles(others),
        ]
    }
}

/// One device under load, doing its ``LoadMix`` again and again over one keep-alive connection
/// (a new one after a failed request).
struct LoadClient {
    let device: BenchDevice
    let server: URL
    let url: String
    let community: String
    let mix: LoadMix
    var tally = LoadTally()
    private var batch: Int64 = 1
    private var cursor: String?
    private var connection: PlainHTTPConnection?

    init(device: BenchDevice, server: URL, url: String, community: String, mix: LoadMix) {
        self.device = device
        self.server = server
        self.url = url
        self.community = community
        self.mix = mix
    }

    mutating func run(until end: ContinuousClock.Instant, measuringFrom measured: ContinuousClock.Instant) {
        while ContinuousClock.now < end {
            switch mix {
            case .pushPull: pushAndPull(measuredFrom: measured)
            case .pull: pullFromStart(measuredFrom: measured)
            case .health: _ = send("GET", "/health", into: \.others, measuredFrom: measured)
            }
        }
    }

    /// The next page from the cursor, limit 100; once at the head, from the start again. Only the
    /// page's members after its events are parsed (``PageTail``): building every event of a
    /// 100-event page as JSON values took the client more processor time than the server spent
    /// answering, on the two cores they share.
    private mutating func pullFromStart(measuredFrom measured: ContinuousClock.Instant) {
        let path = "/v1/sync/pull?limit=100" + (cursor.map { "&cursor=\($0)" } ?? "")
        guard let page = send("GET", path, into: \.pulls, measuredFrom: measured, reading: PageTail.parse) else { return }
        cursor = page["has_more"] == true ? page["next_cursor"]?.stringValue : nil
    }

    /// Two signed posts pushed, then the next page (limit 50) pulled from the cursor.
    private mutating func pushAndPull(measuredFrom measured: ContinuousClock.Instant) {
        let body = device.batch(number: batch, community: community, events: 2)
        if let answer = send("POST", "/v1/sync/push", body: body, into: \.pushes, measuredFrom: measured) {
            let results = answer["results"]?.arrayValue ?? []
            if results.count == 2, results.allSatisfy({ $0["status"] == "accepted" }) {
                batch += 1
            } else {
                tally.fail("push not accepted: \(String(decoding: CanonicalJSON.encode(answer), as: UTF8.self))")
            }
        }
        let path = "/v1/sync/pull?limit=50" + (cursor.map { "&cursor=\($0)" } ?? "")
        if let page = send("GET", path, into: \.pulls, measuredFrom: measured) {
            cursor = page["next_cursor"]?.stringValue ?? cursor
        }
    }

    /// Sends a signed request; records its latency (after warm-up) or an error.
    private mutating func send(
        _ method: String, _ path: String, body: [UInt8] = [], into latencies: WritableKeyPath<LoadTally, [Double]>,
        measuredFrom measured: ContinuousClock.Instant, reading read: ([UInt8]) -> JSONValue? = { try? JSONParser.parse($0) }
    ) -> JSONValue? {
        tally.requests += 1
        let started = ContinuousClock.now
        do {
            let request = try device.signed(method, path, body: body, url: url)
            let live = try connection ?? PlainHTTPConnection(to: server, timeout: 60)
            connection = live
            let (status, data) = try live.send(request)
            guard status == 200, let value = read(data) else {
                tally.fail("\(method) \(path.prefix(20)) answered \(status): \(String(decoding: data, as: UTF8.self))")
                return nil
            }
            if started >= measured { tally[keyPath: latencies].append((ContinuousClock.now - started) / .milliseconds(1)) }
            return value
        } catch {
            connection = nil
            tally.fail("\(method) \(path.prefix(20)) failed: \(error)")
            return nil
        }
    }
}

/// The members of a pull page that follow its events — `has_more`, `head`, `next_cursor`,
/// `protocol`, `purge`, `signature` — parsed as an object without parsing the events. A page is
/// canonical JSON (RFC 8785), so its members are in that order and the last `"has_more":` in
/// the bytes is the page's own: no member after it holds one.
enum PageTail {
    static func parse(_ page: [UInt8]) -> JSONValue? {
        let key = Array(#","has_more":"#.utf8)
        guard page.count > key.count else { return nil }
        var start = page.count - key.count
        while start >= 0 && !page[start..<start + key.count].elementsEqual(key) { start -= 1 }
        guard start >= 0 else { return nil }
        return try? JSONParser.parse([UInt8(ascii: "{")] + page[(start + 1)...])
    }
}
