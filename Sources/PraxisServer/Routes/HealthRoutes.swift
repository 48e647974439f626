import Hummingbird
import PraxisProtocol
import PraxisStore

/// `GET /health`: whether the service can read its log, the log's head and the server version.
struct HealthRoutes<Store: EventStore> {
    let store: Store

    func register(on router: Router<PraxisRequestContext>) {
        router.get("/health") { _, _ in
            let head = try await store.head()
            return JSONResponse([
                "status": "ok", "head": .number(Double(head.value)), "version": .string(ServerConfiguration.version),
            ])
        }
    }
}
