import Foundation
import PraxisCommands
import PraxisDomain
import PraxisProtocol
import PraxisStore
import Synchronization
import Testing

/// A real SQLite log in a temporary folder, the command service over it, and a clock the test
/// moves by hand.
final class Organisation: Sendable {
    /// A clock that moves only when told to.
    final class ManualClock: Sendable {
        let milliseconds = Mutex(Int64(1_795_780_800_000))
        var now: Timestamp { Timestamp(millisecondsSinceEpoch: milliseconds.withLock { $0 }) }
    }

    let folder: URL
    let store: SQLiteEventStore
    let service: CommandService<SQLiteEventStore>
    let time = ManualClock()

    init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("praxis-domain-\(UUID().wireString)")
        let time = self.time
        let clock: @Sendable () -> Timestamp = { time.now }
        store = try SQLiteEventStore(path: folder.appendingPathComponent("log.sqlite").path, clock: clock)
        service = CommandService(store: store, clock: clock, random: SplitMix64(seed: 1))
    }

    deinit { try? FileManager.default.removeItem(at: folder) }

    var now: Timestamp { time.now }

    /// Moves the clock forward.
    func advance(hours: Int64) { time.milliseconds.withLock { $0 += hours * 3_600_000 } }

    /// Runs a command that must succeed.
    @discardableResult
    func run(_ command: some Command, as actor: Actor, sourceLocation: SourceLocation = #_sourceLocation) async throws
        -> [RecordedEvent]
    {
        do {
            return try await service.execute(command, as: actor)
        } catch {
            Issue.record("\(type(of: command)) failed: \(error)", sourceLocation: sourceLocation)
            throw error
        }
    }

    /// Runs a command that must be rejected with `code` (and `field`, when given), writing nothing.
    func expectRejection(
        _ code: Rejection.Code, field: String? = nil, _ command: some Command, as actor: Actor,
        sourceLocation: SourceLocation = #_sourceLocation
    ) async throws {
        let head = try await store.head()
        do {
            try await service.execute(command, as: actor)
            Issue.record("\(type(of: command)) was accepted; expected \(code)", sourceLocation: sourceLocation)
        } catch {
            guard case .rejected(let rejection) = error else {
                Issue.record("\(type(of: command)) failed with \(error); expected \(code)", sourceLocation: sourceLocation)
                return
            }
            #expect(rejection.code == code, "\(rejection.message)", sourceLocation: sourceLocation)
            if let field { #expect(rejection.field == field, sourceLocation: sourceLocation) }
        }
        #expect(try await store.head() == head, "a rejected command wrote nothing", sourceLocation: sourceLocation)
    }

    /// Registers a member through the operator command.
    func member(
        _ name: String, region: String = "EMEA", department: String = "Engineering",
        leadership: LeadershipLevel = .contributor, external organization: String? = nil
    ) async throws -> MemberID {
        let id = MemberID(UUID())
        try await run(
            RegisterMember(
                member: id, displayName: name, email: "\(name.lowercased())@example.com", region: region,
                department: department, leadership: leadership, external: organization != nil,
                organization: organization), as: .operator)
        return id
    }

    /// Creates a community owned by `owner`.
    func community(
        _ name: String, kind: CommunityKind = .practice, visibility: CommunityVisibility = .open, owner: MemberID
    ) async throws -> CommunityID {
        let id = CommunityID(UUID())
        try await run(CreateCommunity(community: id, name: name, kind: kind, visibility: visibility), as: .member(owner))
        return id
    }

    /// Creates a post by `author`.
    func post(
        in community: CommunityID, by author: MemberID, kind: PostKind = .discussion, title: String = "Title",
        body: String = "Body"
    ) async throws -> PostID {
        let id = PostID(UUID())
        try await run(
            CreatePost(post: id, community: community, kind: kind, title: title, body: body), as: .member(author))
        return id
    }

    func communityState(_ id: CommunityID) async throws -> CommunityState? {
        try await service.input(for: [id.stream]).community(id)
    }

    func postState(_ id: PostID) async throws -> PostState? {
        try await service.input(for: [id.stream]).post(id)
    }
}
