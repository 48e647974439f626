import Crypto
public import Foundation
public import PraxisCommands
public import PraxisDomain
public import PraxisProtocol
public import PraxisStore

/// The delta-sync service, `praxis-sync/1` (see `Protocol/PROTOCOL.md`): device enrollment,
/// request authentication, push, pull, backfill. Transport-free: the HTTP layer hands it bytes and
/// headers and sends back the JSON it returns.
public struct SyncService<Store: EventStore>: Sendable {
    let store: Store
    let commands: CommandService<Store>
    let index: SyncIndex<Store>
    let authenticator: RequestAuthenticator
    let serverKey: TreeHeadKey
    /// Tags and checks pull cursors; derived from ``serverKey``.
    let cursorKey: CursorKey
    let clock: @Sendable () -> Timestamp
    /// Cursors issued more than this many events ago are answered `cursor_too_old`.
    let horizon: Int64?
    /// Bounds the pull pages and backfills reading the log at once.
    let scans: ScanGate

    /// - Parameters:
    ///   - serverKey: signs receipts, push answers and pull pages (the tree-head key); pull cursors
    ///     are tagged with a key derived from it.
    ///   - horizon: how many events may have been appended since a cursor was issued for it to be
    ///     served incrementally; `nil` for no limit.
    ///   - concurrentScans: how many pull pages and backfills read the log at once; the others
    ///     wait their turn. Twice the cores by default.
    public init(
        store: Store, commands: CommandService<Store>, serverKey: TreeHeadKey, horizon: Int64? = nil,
        concurrentScans: Int = 2 * ProcessInfo.processInfo.activeProcessorCount,
        clock: @escaping @Sendable () -> Timestamp = { Timestamp(Date()) }
    ) {
        self.scans = ScanGate(width: concurrentScans)
        self.store = store
        self.commands = commands
        self.index = SyncIndex(store: store)
        self.authenticator = RequestAuthenticator(clock: clock)
        self.serverKey = serverKey
        self.cursorKey = CursorKey(serverKey)
        self.horizon = horizon
        self.clock = clock
    }

    /// The server key, as clients pin it.
    public var serverKeyJSON: JSONValue {
        [
            "algorithm": "ed25519", "key_id": .string(serverKey.keyID),
            "public_key": .string(Base64URL.encode(serverKey.publicKey)),
        ]
    }

    /// Checks a request's device signature; returns the device and its member.
    public func authenticate(_ request: SignedRequest) async throws(SyncError) -> AuthenticatedDevice {
        try await authenticator.authenticate(request, view: try await view())
    }

    /// Builds the sync view now, so that the first pulls after a start on a long log do not
    /// wait for it (it reads the whole log once).
    public func prepare() async throws(SyncError) {
        _ = try await view()
    }

    func view() async throws(SyncError) -> SyncView {
        do { return try await index.current() } catch { throw SyncError(storeError: error) }
    }

    // MARK: - Handshake

    /// Chooses the protocol version and tells the client the event schema versions it may push,
    /// the `schemas` value its pulls should carry (types it knows only in older versions), the
    /// limits, and the server key.
    ///
    /// Body: `{"protocols": ["praxis-sync/1"], "event_schemas": {"post_created": [1, 2], …}}`
    /// (`event_schemas` optional: the versions of each type the client understands).
    public func handshake(body: [UInt8]) throws(SyncError) -> JSONValue {
        let json = try Self.parse(body, canonical: false)
        guard let protocols = json["protocols"]?.arrayValue?.compactMap(\.stringValue), !protocols.isEmpty else {
            throw .badRequest("invalid_field", "protocols must be a non-empty array of version strings")
        }
        guard let chosen = SyncProtocol.supportedVersions.last(where: protocols.contains) else {
            throw SyncError(
                .badRequest, "version_not_supported",
                "this server speaks \(SyncProtocol.supportedVersions.joined(separator: ", ")) only",
                details: ["supported": .array(SyncProtocol.supportedVersions.map { .string($0) })])
        }
        let clientSchemas = json["event_schemas"]?.objectValue ?? [:]
        var schemas: [String: JSONValue] = [:]
        var older: [String] = []
        for (type, current) in EventRegistry.currentVersions.sorted(by: { $0.key < $1.key }) {
            if let understood = clientSchemas[type]?.arrayValue?.compactMap(\.integerValue), !understood.contains(current) {
                older.append("\(type):\(understood.max() ?? 0)")
            }
            guard PushableEvents.entries[type] != nil else { continue }
            schemas[type] = ["current": .number(Double(current)), "push": .array((1...current).map { .number(Double($0)) })]
        }
        return [
            "protocol": .string(chosen), "event_schemas": .object(schemas), "server_key": serverKeyJSON,
            "pull_schemas": .string(older.joined(separator: ",")),
            "server_time": .string(clock().rfc3339),
            "limits": [
                "events_per_batch": .number(Double(SyncProtocol.maximumEventsPerBatch)),
                "batch_bytes": .number(Double(SyncProtocol.maximumBatchBytes)),
                "pull_limit": .number(Double(SyncProtocol.maximumPullLimit)),
                "pull_bytes": .number(Double(SyncProtocol.maximumPullBytes)),
                "clock_skew_seconds": .number(Double(SyncProtocol.clockSkewSeconds)),
            ],
        ]
    }

    // MARK: - Enrollment

    /// Issues a one-time enrollment code for `member`, valid for `validity`; returns the code (shown
    /// once; the log keeps only its hash) and its expiry.
    public func invite(member: MemberID, validity: Duration) async throws(CommandFailure) -> (code: String, expiresAt: Timestamp)
    {
        var random = SystemRandomNumberGenerator()
        let code = Base64URL.encode((0..<16).map { _ in UInt8.random(in: .min ... .max, using: &random) })
        let expiresAt = Timestamp(millisecondsSinceEpoch: clock().millisecondsSinceEpoch + validity.components.seconds * 1000)
        try await commands.execute(
            InviteDevice(codeHash: EventHash(hashing: Array(code.utf8)), member: member, expiresAt: expiresAt), as: .operator)
        return (code, expiresAt)
    }

    /// Enrolls a device with a one-time code.
    ///
    /// Body: `{"code": "…", "device": "<uuid>", "algorithm": "ed25519"|"es256", "public_key": "…", "name": "…"}`.
    public func enroll(body: [UInt8]) async throws(SyncError) -> JSONValue {
        guard case .object(let fields) = try Self.parse(body, canonical: false) else {
            throw .badRequest("invalid_json", "the body must be a JSON object")
        }
        let code = try Self.text("code", of: fields)
        guard let device = DeviceID(try Self.text("device", of: fields)) else {
            throw .invalidField("device", "device must be a UUID in lowercase hyphenated form")
        }
        guard let algorithm = DeviceKeyAlgorithm(rawValue: try Self.text("algorithm", of: fields)) else {
            throw .invalidField("algorithm", "algorithm must be ed25519 or es256")
        }
        let command = EnrollDeviceWithCode(
            codeHash: EventHash(hashing: Array(code.utf8)), device: device, algorithm: algorithm,
            publicKey: try Self.text("public_key", of: fields),
            name: fields["name"] == nil ? nil : try Self.text("name", of: fields))
        let invalidCode = SyncError.unauthenticated("invalid_enrollment_code", "the code is unknown, used or expired")
        guard let stream = command.invitationStream else { throw invalidCode }
        let member: MemberID
        do {
            let input = try await commands.input(for: [stream])
            guard let invitation = input.state(DeviceInvitationState.self, stream) else { throw invalidCode }
            member = invitation.member
            try await commands.execute(command, as: .member(member))
        } catch let failure as CommandFailure {
            switch failure {
            case .rejected(let rejection) where [.notFound, .expired, .invalidState].contains(rejection.code):
                throw invalidCode
            default:
                throw SyncError(failure)
            }
        } catch let error as SyncError {
            throw error
        } catch {
            throw invalidCode
        }
        return [
            "protocol": .string(SyncProtocol.version), "device": .string(device.description),
            "member": .string(member.description), "server_key": serverKeyJSON,
        ]
    }

    // MARK: - Shared

    /// The string member `name` of a request body.
    /// - Throws: `invalid_field` naming it when it is missing or not a string.
    static func text(_ name: String, of fields: [String: JSONValue]) throws(SyncError) -> String {
        guard let value = fields[name] else { throw .invalidField(name, "\(name) is required") }
        guard case .string(let text) = value else { throw .invalidField(name, "\(name) must be a string") }
        return text
    }

    /// Parses a request body; with `canonical`, the bytes must be their own RFC 8785 form.
    static func parse(_ body: [UInt8], canonical: Bool) throws(SyncError) -> JSONValue {
        let json: JSONValue
        do {
            json = try JSONParser.parse(body)
        } catch {
            throw SyncError(.badRequest, "invalid_json", "the body is not acceptable JSON: \(error.message)")
        }
        if canonical, CanonicalJSON.encode(json) != body {
            throw .badRequest(
                "non_canonical", "the body must be its own RFC 8785 canonical form, so that signed bytes can be kept exactly")
        }
        return json
    }
}

extension SyncError {
    init(storeError error: StoreError) {
        switch error.code {
        case .wrongExpectedVersion, .idConflict, .partialDuplicate:
            self.init(.conflict, error.code.description, error.message)
        case .invalidBatch:
            self.init(.badRequest, error.code.description, error.message)
        default:
            // The store's messages name no SQL and no paths; they say what failed.
            self.init(.unavailable, "unavailable", "the log is unavailable (\(error.message)); retry shortly")
        }
    }

    init(_ failure: CommandFailure) {
        switch failure {
        case .rejected(let rejection): self.init(.conflict, rejection.code.description, rejection.message)
        case .storage(let error): self.init(storeError: error)
        case .contention(let message): self.init(.unavailable, "contention", message)
        case .unreadableHistory: self.init(.unavailable, "unavailable", "the server cannot read its log")
        }
    }
}

extension SyncService {
    /// Calls `announce` with the log's head whenever events this device's member may see were
    /// committed after `start`, and `keepAlive` after 15 quiet seconds; returns when the task is
    /// cancelled or a write fails (the client went away). Clients pull on each announcement.
    public func announce(
        to device: AuthenticatedDevice, from start: LogPosition, announce: (LogPosition) async throws -> Void,
        keepAlive: () async throws -> Void
    ) async throws {
        var seen = start
        while !Task.isCancelled {
            await store.waitForAppend(beyond: seen, timeout: .seconds(15))
            let view = try await view()
            guard view.position > seen else {
                try await keepAlive()
                continue
            }
            if let revokedAt = view.devices[device.device]?.revokedAt, revokedAt > start { return }
            let readable = view.readableCommunities(of: device.member)
            var relevant = false
            var next = seen
            while next < view.position, !relevant {
                let page = try await store.read(from: next.next, limit: 1000)
                guard let last = page.last else { break }
                relevant = page.contains {
                    $0.position <= view.position && view.isVisible($0, to: device.member, readable: readable)
                }
                next = last.position
            }
            seen = view.position
            if relevant { try await announce(view.position) }
        }
    }
}
