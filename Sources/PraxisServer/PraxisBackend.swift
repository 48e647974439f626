public import PraxisProjections
public import PraxisProtocol
public import PraxisStore
public import Prometheus

/// What the service runs on: the log, the read models, the engine that keeps them current, and
/// the metrics registry `GET /metrics` renders.
public struct PraxisBackend<Store: EventStore>: Sendable {
    public let store: Store
    public let readModels: ReadModelStore
    public let engine: ProjectionEngine<Store>
    public let metrics: PrometheusCollectorRegistry
    /// The server's Ed25519 key: it signs tree heads (through the store), sync receipts, pull
    /// pages and cursors.
    public let serverKey: TreeHeadKey

    public init(
        store: Store, readModels: ReadModelStore, serverKey: TreeHeadKey,
        projections: [any Projection] = ProjectionCatalog.all
    ) {
        self.serverKey = serverKey
        let metrics = PrometheusCollectorRegistry()
        self.store = store
        self.readModels = readModels
        self.metrics = metrics
        self.engine = ProjectionEngine(
            store: store, readModels: readModels, projections: projections,
            metrics: PrometheusMetricsFactory(registry: metrics))
    }
}
