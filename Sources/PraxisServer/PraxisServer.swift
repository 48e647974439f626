public import Foundation
public import Hummingbird
public import Logging
import PraxisCommands
import PraxisProjections
public import PraxisProtocol
public import PraxisStore
import PraxisSync
import Prometheus

/// Builds and runs the Praxis HTTP application.
///
/// ```swift
/// let backend = PraxisBackend(store: store, readModels: readModels)
/// try await PraxisServer.run(backend: backend, configuration: configuration, logger: logger)
/// ```
public enum PraxisServer {
    /// The routes, with error mapping, body limit, rate limits, and operator and member
    /// authentication in place.
    public static func router<Store: EventStore>(
        backend: PraxisBackend<Store>, configuration: ServerConfiguration, logger: Logger,
        clock: @escaping @Sendable () -> Timestamp = { Timestamp(Date()) }
    ) -> Router<PraxisRequestContext> {
        let store = backend.store
        let limiter = configuration.rateLimit.map { RateLimiter(limit: $0) }
        let router = Router(context: PraxisRequestContext.self)
        router.add(middleware: APIErrorMiddleware(logger: logger))
        router.add(middleware: BodyLimitMiddleware(maximumBytes: configuration.maximumBodyBytes))
        if configuration.readOnly { router.add(middleware: ReadOnlyMiddleware()) }
        HealthRoutes(store: store).register(on: router)
        AuditRoutes(store: store).register(on: router.group("/v1"))
        let metrics = backend.metrics
        router.group("/metrics").add(
            middleware: OperatorAuthMiddleware<PraxisRequestContext>(tokenHash: configuration.operatorTokenHash)
        ).get { _, _ in
            Response(
                status: .ok, headers: [.contentType: "text/plain; version=0.0.4"],
                body: ResponseBody(byteBuffer: ByteBuffer(bytes: metrics.emitToBuffer())))
        }
        let service = CommandService(store: store, clock: clock)
        let endpoint = CommandEndpoint(service: service, bodyLimit: configuration.maximumBodyBytes, clock: clock)

        let operatorAuth = OperatorAuthMiddleware<PraxisRequestContext>(tokenHash: configuration.operatorTokenHash)
        LogRoutes(store: store).register(on: router.group("/v1").add(middleware: operatorAuth))
        let operatorGroup = router.group("/v1/operator").add(middleware: operatorAuth)
        for route in CommandRoute.all where route.caller == .operator { endpoint.register(route, on: operatorGroup) }
        AccessTokenRoutes(service: service, clock: clock).register(on: operatorGroup)
        ProjectionRoutes(backend: backend, logger: logger).register(on: operatorGroup)
        ExportRoutes(store: store).register(on: operatorGroup)
        let sync = SyncService(
            store: store, commands: service, serverKey: backend.serverKey, horizon: configuration.syncHorizon, clock: clock)
        DeviceInvitationRoutes(sync: sync, bodyLimit: configuration.maximumBodyBytes).register(on: operatorGroup)
        SyncRoutes(
            sync: sync, store: store, bodyLimit: configuration.maximumBodyBytes, limiter: limiter,
            liveGate: LiveConnectionGate(maximum: configuration.maximumLiveConnections)
        ).register(on: router.group("/v1"))

        let directory = AccessTokenDirectory(store: store)
        // Both read the whole log once; started now, the first requests after a start need not wait.
        Task {
            try? await directory.prepare()
            try? await sync.prepare()
        }
        let memberGroup = router.group("/v1").add(middleware: MemberAuthMiddleware(directory: directory))
        if let limiter { memberGroup.add(middleware: MemberRateLimitMiddleware(limiter: limiter)) }
        for route in CommandRoute.all where route.caller == .member { endpoint.register(route, on: memberGroup) }
        ReadRoutes(backend: backend, clock: clock).register(on: memberGroup)
        InsightsRoutes(backend: backend, minimumGroup: configuration.insightsMinimumGroup).register(on: memberGroup)
        return router
    }

    /// The application, listening where `configuration` says. The projection engine is not part
    /// of it: ``run(backend:configuration:logger:onServerRunning:)`` runs both.
    public static func application<Store: EventStore>(
        backend: PraxisBackend<Store>, configuration: ServerConfiguration, logger: Logger,
        clock: @escaping @Sendable () -> Timestamp = { Timestamp(Date()) },
        onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }
    ) -> some ApplicationProtocol {
        Application(
            router: router(backend: backend, configuration: configuration, logger: logger, clock: clock),
            server: .http1(
                configuration: .init(
                    additionalChannelHandlers: [
                        MalformedRequestHandler(), RequestDeadlineHandler(timeout: configuration.requestTimeout),
                    ],
                    idleTimeout: .milliseconds(Int64(configuration.idleTimeout / .milliseconds(1))))),
            configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "praxis"),
            onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? configuration.port) },
            logger: logger
        )
    }

    /// Serves until SIGINT or SIGTERM, then finishes the requests in flight and returns. Beside the
    /// server, the projection engine rebuilds projections whose version changed and follows the log.
    /// `onServerRunning` receives the port actually bound (useful with port 0). Throws
    /// ``ListenFailure`` when it cannot listen where `configuration` says.
    public static func run<Store: EventStore>(
        backend: PraxisBackend<Store>, configuration: ServerConfiguration, logger: Logger,
        onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }
    ) async throws {
        let app = application(backend: backend, configuration: configuration, logger: logger, onServerRunning: onServerRunning)
        let outdated = try await backend.engine.prepare()
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await followLog(backend.engine, rebuilding: outdated, logger: logger) }
            group.addTask {
                do {
                    try await app.runService()
                } catch {
                    throw ListenFailure(error, host: configuration.host, port: configuration.port) ?? error
                }
            }
            try await group.next()
            group.cancelAll()
        }
    }

    /// Rebuilds what is outdated, then follows the log; a failure is logged and retried after a
    /// pause, so that a broken projection does not take the service down with it.
    static func followLog<Store>(_ engine: ProjectionEngine<Store>, rebuilding outdated: [String], logger: Logger) async {
        var pending = outdated
        while !Task.isCancelled {
            do {
                if !pending.isEmpty {
                    logger.info("rebuilding projections \(pending.joined(separator: ", ")) for their new versions")
                    try await engine.rebuild(pending)
                    pending = []
                }
                try await engine.run()
            } catch is CancellationError {
                return
            } catch {
                logger.error("projection engine failed; retrying in 5 s", metadata: ["error": "\(error)"])
                try? await Task.sleep(for: .seconds(5))
            }
        }
    }
}
