import Foundation
import PraxisCommands
import PraxisDomain
import PraxisProjections
import PraxisProtocol
import PraxisStore

/// A hand-built organisation on a real log, with commands run through the real service.
final class HandBuiltWorld {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("praxis-world-\(UUID().wireString)")
    let store: SQLiteEventStore
    let service: CommandService<SQLiteEventStore>

    init() throws {
        store = try SQLiteEventStore(path: folder.appendingPathComponent("log.sqlite").path)
        service = CommandService(store: store)
    }

    deinit { try? FileManager.default.removeItem(at: folder) }

    func member(_ name: String, external: Bool = false) async throws -> MemberID {
        let id = MemberID(UUID())
        try await service.execute(
            RegisterMember(
                member: id, displayName: name, email: "\(name)@example.com", region: "EMEA", department: "R&D",
                external: external, organization: external ? "Acme" : nil), as: .operator)
        return id
    }

    func community(_ name: String, _ visibility: CommunityVisibility, owner: MemberID) async throws -> CommunityID {
        let id = CommunityID(UUID())
        try await service.execute(
            CreateCommunity(community: id, name: name, kind: .practice, visibility: visibility), as: .member(owner))
        return id
    }

    func post(
        _ community: CommunityID, by author: MemberID, _ title: String, kind: PostKind = .discussion, body: String? = nil
    ) async throws -> PostID {
        let id = PostID(UUID())
        try await service.execute(
            CreatePost(post: id, community: community, kind: kind, title: title, body: body ?? title), as: .member(author))
        return id
    }

    /// Fresh read models, caught up with the log.
    func readModels() async throws -> ReadModelQueries {
        let readModels = try ReadModelStore(path: folder.appendingPathComponent("projections-\(UUID().wireString).sqlite").path)
        let engine = ProjectionEngine(store: store, readModels: readModels, projections: ProjectionCatalog.all)
        try await engine.prepare()
        try await engine.catchUp()
        return ReadModelQueries(readModels: readModels)
    }
}
