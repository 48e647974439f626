import Hummingbird
import Logging
import PraxisProjections
import PraxisProtocol
import PraxisStore

/// The operator's view of the read models while the service runs: their status, and rebuilds
/// started or cancelled without stopping anything.
struct ProjectionRoutes<Store: EventStore> {
    let backend: PraxisBackend<Store>
    let logger: Logger

    func register(on group: RouterGroup<PraxisRequestContext>) {
        let engine = backend.engine
        group.get("/projections") { _, _ in
            JSONResponse(["projections": .array(try await engine.status().map(\.json))])
        }
        group.post("/projections/{name}/rebuild") { _, context in
            let name = try await Self.known(context, engine)
            let logger = self.logger
            Task {
                do {
                    try await engine.rebuild(name)
                    logger.info("rebuilt projection \(name)")
                } catch {
                    logger.error("rebuild of \(name) stopped", metadata: ["error": "\(error)"])
                }
            }
            return JSONResponse(["name": .string(name), "status": "rebuilding"], status: .accepted)
        }
        group.delete("/projections/{name}/rebuild") { _, context in
            let name = try await Self.known(context, engine)
            try await engine.cancelRebuild(name)
            return JSONResponse(["name": .string(name), "status": "cancelled"])
        }
    }

    static func known(_ context: PraxisRequestContext, _ engine: ProjectionEngine<Store>) async throws -> String {
        let name = context.parameters.get("name") ?? ""
        guard await engine.names.contains(name) else {
            throw APIError(
                .notFound, code: "not_found", "no projection \(name); known: \(await engine.names.joined(separator: ", "))")
        }
        return name
    }
}
