import ArgumentParser
import Foundation
import PraxisProtocol

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

extension Bench {
    /// Signed push ingest end to end: enrolled devices push batches of signed posts over HTTP.
    struct Push: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Signed push ingest over HTTP: devices push batches of signed posts to a running server.",
            discussion: """
                Enrolls --devices Ed25519 devices for MEMBER (operator token from --operator-token-file), \
                signs every event and request before the clock starts, then has the devices push their \
                batches concurrently; each answer must accept every event. Measures what the server does \
                per event: request and author signature checks, the decision, the append, the receipts. \
                Each device pushes over one keep-alive HTTP/1.1 connection (plain http only).

                \(BenchTarget.writesRealEvents)
                """)

        @OptionGroup var target: BenchTarget
        @Option(help: "Concurrent devices.") var devices = 4
        @Option(help: "Batches per device.") var batches = 20
        @Option(help: "Events per batch.") var batch = 50
        @Option(
            help: ArgumentHelp(
                "For fault tests: write the ids of every acknowledged event here, one per line, and stop a device quietly at its first failed request.",
                valueName: "file"))
        var record: String?

        func validate() throws {
            guard (1...64).contains(devices), (1...10_000).contains(batches), (1...500).contains(batch) else {
                throw ValidationError("--devices 1–64, --batches 1–10000, --batch 1–500 (the push limit)")
            }
        }

        func run() async throws {
            let pushers = try await target.enroll(devices).map { device in
                try (1...batches).map { number in
                    try device.push(number: Int64(number), url: target.url, community: target.community, events: batch)
                }
            }
            let server = try BenchDevice.endpoint(target.url)
            let started = ContinuousClock.now
            let recording = record != nil
            // Each device pushes over its own connection on its own thread (see `PlainHTTPConnection`).
            let acknowledged = try await withThrowingTaskGroup(of: [String].self) { group in
                for requests in pushers {
                    group.addTask {
                        try await onOwnThread {
                            var ids: [String] = []
                            do {
                                let connection = try PlainHTTPConnection(to: server)
                                for request in requests {
                                    let (status, body) = try connection.send(request)
                                    ids += try BenchDevice.expectAccepted(status: status, body: body)
                                }
                            } catch  where recording {
                                // A fault test stops this device quietly at its first failed request.
                            }
                            return ids
                        }
                    }
                }
                return try await group.reduce(into: []) { $0 += $1 }
            }
            if let record {
                let lines = acknowledged.map { $0 + "\n" }.joined()
                guard FileManager.default.createFile(atPath: record, contents: Data(lines.utf8)) else {
                    throw CLIFailure("cannot write \(record)")
                }
            }
            Bench.report(
                events: acknowledged.count, since: started,
                ["devices": .number(Double(devices)), "batch": .number(Double(batch))])
        }
    }

    /// The limit for push ingest: verifying the same events' Ed25519 signatures, nothing else.
    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Ed25519 signature verification alone, on every core, for the push-ingest limit.")

        @Option(help: "Signed events to verify.") var events = 20_000
        @Option(help: "Concurrent tasks (default: the cores).") var tasks = ProcessInfo.processInfo.activeProcessorCount

        func run() async throws {
            let key = DeviceSigningKey(.ed25519)
            let device = UUID().wireString
            let signed = (0..<events).map { index in
                BenchDevice.post(index, member: UUID().wireString, community: UUID().wireString, device: device)
                    .signed(with: key, keyID: device)
            }
            let publicKey = key.publicKey
            let share = (events + tasks - 1) / tasks
            let started = ContinuousClock.now
            let verified = try await withThrowingTaskGroup(of: Int.self) { group in
                for slice in stride(from: 0, to: events, by: share) {
                    let part = signed[slice..<min(slice + share, events)]
                    group.addTask {
                        part.filter { $0.signature?.verifies($0.canonicalBytes, publicKey: publicKey) == true }.count
                    }
                }
                return try await group.reduce(0, +)
            }
            guard verified == events else { throw CLIFailure("\(events - verified) signatures did not verify") }
            Bench.report(events: events, since: started, ["tasks": .number(Double(tasks))])
        }
    }
}

/// An enrolled device as the push benchmark drives it.
struct BenchDevice {
    let id: String
    let member: String
    let key: DeviceSigningKey

    static func enroll(url: String, operatorToken: String, member: String) async throws -> BenchDevice {
        let invitation = try await json(
            try post(url + "/v1/operator/devices/invitations", ["member": .string(member)], bearer: operatorToken))
        guard let code = invitation["code"]?.stringValue else { throw CLIFailure("no enrollment code: \(invitation)") }
        let key = DeviceSigningKey(.ed25519)
        let id = UUID().wireString
        _ = try await json(
            try post(
                url + "/v1/sync/enroll",
                [
                    "code": .string(code), "device": .string(id), "algorithm": "ed25519",
                    "public_key": .string(Base64URL.encode(key.publicKey)), "name": "bench device",
                ]))
        return BenchDevice(id: id, member: member, key: key)
    }

    /// One signed post, as a device writes it offline.
    static func post(_ index: Int, member: String, community: String, device: String) -> AuthoredEvent {
        var random = SystemRandomNumberGenerator()
        let now = Timestamp(Date())
        let post = UUID.version7(at: now, using: &random).wireString
        return AuthoredEvent(
            EventEnvelope(
                id: UUID.version7(at: now, using: &random), stream: StreamName("post/\(post)")!,
                type: EventTypeName("post_created")!, schemaVersion: 2,
                payload: [
                    "post": .string(post), "community": .string(community), "author": .string(member),
                    "kind": "discussion", "title": .string("Bench post \(index)"),
                    "body": "a short payload like a comment", "cites": [], "mentions": [], "tags": [],
                ],
                metadata: EventMetadata(
                    actor: UUID(wireString: member), device: UUID(wireString: device), clientTime: now,
                    logicalClock: Int64(index + 1))))
    }

    /// Batch `number` of signed posts as a signed push request.
    func push(number: Int64, url: String, community: String, events: Int) throws -> URLRequest {
        try signed("POST", "/v1/sync/push", body: batch(number: number, community: community, events: events), url: url)
    }

    /// The body of batch `number`: `events` signed posts.
    func batch(number: Int64, community: String, events: Int) -> [UInt8] {
        let signed = (0..<events).map { index in
            Self.post(Int(number) * events + index, member: member, community: community, device: id)
                .signed(with: key, keyID: id)
        }
        return PushBatch(device: id, number: number, events: signed).body
    }

    /// A request signed by this device now, with a fresh nonce (so a resend is a new request).
    func signed(_ method: String, _ path: String, body: [UInt8] = [], url: String) throws -> URLRequest {
        var random = SystemRandomNumberGenerator()
        let nonce = Base64URL.encode((0..<16).map { _ in UInt8.random(in: 0...255, using: &random) })
        let signature = RequestSignature(
            method: method, path: path, body: body, device: id, timestamp: Timestamp(Date()), nonce: nonce)
        var request = URLRequest(url: try Self.endpoint(url + path))
        request.httpMethod = method
        if !body.isEmpty {
            request.httpBody = Data(body)
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        }
        for (name, value) in signature.headers(signedWith: key) { request.setValue(value, forHTTPHeaderField: name) }
        return request
    }

    /// Pulls from the start until `has_more` is false; returns the ids of the events pulled, in
    /// order, each once (pages may repeat a position; a device ignores what it already applied).
    func pullAll(url: String) async throws -> [String] {
        var cursor: String?
        var ids: [String] = []
        var applied = Set<Int64>()
        while true {
            var path = "/v1/sync/pull?limit=1000"
            if let cursor { path += "&cursor=\(cursor)" }
            let page = try await Self.json(try signed("GET", path, url: url))
            for item in page["events"]?.arrayValue ?? [] {
                guard let position = item["position"]?.numberValue.map(Int64.init), applied.insert(position).inserted,
                    let id = item["event"]?["id"]?.stringValue
                else { continue }
                ids.append(id)
            }
            cursor = page["next_cursor"]?.stringValue
            guard page["has_more"] == true, cursor != nil else { return ids }
        }
    }

    /// The ids of a push answer's events, all of which must have been accepted.
    static func expectAccepted(status: Int, body: [UInt8]) throws -> [String] {
        guard (200..<300).contains(status), let answer = try? JSONParser.parse(body) else {
            throw CLIFailure("/v1/sync/push answered \(status): \(String(decoding: body, as: UTF8.self).prefix(500))")
        }
        let results = answer["results"]?.arrayValue ?? []
        guard !results.isEmpty, results.allSatisfy({ $0["status"] == "accepted" }) else {
            throw CLIFailure(
                "a push was not accepted whole: \(String(decoding: CanonicalJSON.encode(answer), as: UTF8.self).prefix(500))")
        }
        return results.compactMap { $0["id"]?.stringValue }
    }

    static func endpoint(_ text: String) throws -> URL {
        guard let url = URL(string: text) else { throw CLIFailure("'\(text)' is not a URL") }
        return url
    }

    static func post(_ url: String, _ body: JSONValue, bearer: String? = nil) throws -> URLRequest {
        var request = URLRequest(url: try endpoint(url))
        request.httpMethod = "POST"
        request.httpBody = Data(CanonicalJSON.encode(body))
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        if let bearer { request.setValue("Bearer \(bearer)", forHTTPHeaderField: "Authorization") }
        return request
    }

    static func json(_ request: URLRequest) async throws -> JSONValue {
        let (data, response) = try await URLSession.shared.data(for: request)
        let status = (response as? HTTPURLResponse)?.statusCode ?? 0
        guard (200..<300).contains(status), let value = try? JSONParser.parse(Array(data)) else {
            throw CLIFailure(
                "\(request.url?.path ?? "") answered \(status): \(String(decoding: data, as: UTF8.self).prefix(500))")
        }
        return value
    }
}

/// Runs `body` on a thread of its own, so that blocking I/O does not hold one of the few threads
/// Swift's concurrency pool has (one per core).
func onOwnThread<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        Thread { continuation.resume(with: Result { try body() }) }.start()
    }
}
