public import PraxisDomain
import PraxisProtocol
public import PraxisStore

/// Lists of members and communities, folded from their streams (for operators' tools; members'
/// reads go through the projections).
public struct Directory<Store: EventStore>: Sendable {
    let store: Store
    let service: CommandService<Store>

    public init(store: Store, service: CommandService<Store>) {
        self.store = store
        self.service = service
    }

    /// Every member, ordered by id.
    public func members() async throws(CommandFailure) -> [MemberState] {
        let input = try await service.input(for: try await streams(MemberTag.category))
        return input.streams.keys.sorted().compactMap { input.state(MemberState.self, $0) }
    }

    /// Every community, ordered by id.
    public func communities() async throws(CommandFailure) -> [CommunityState] {
        let input = try await service.input(for: try await streams(CommunityTag.category))
        return input.streams.keys.sorted().compactMap { input.state(CommunityState.self, $0) }
    }

    private func streams(_ category: String) async throws(CommandFailure) -> [StreamName] {
        do { return try await store.allStreams(inCategory: category) } catch { throw .storage(error) }
    }
}
