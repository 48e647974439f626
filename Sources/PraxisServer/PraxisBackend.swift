public import PraxisProjections
public import PraxisStore

/// What the service runs on: the log, the read models, and the engine that keeps them current.
public struct PraxisBackend<Store: EventStore>: Sendable {
    public let store: Store
    public let readModels: ReadModelStore
    public let engine: ProjectionEngine<Store>

    public init(store: Store, readModels: ReadModelStore, projections: [any Projection] = ProjectionCatalog.all) {
        self.store = store
        self.readModels = readModels
        self.engine = ProjectionEngine(store: store, readModels: readModels, projections: projections)
    }
}
