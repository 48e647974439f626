public import Foundation
public import Hummingbird
public import Logging
import PraxisCommands
public import PraxisProtocol
public import PraxisStore

/// Builds the Praxis HTTP application over a log.
///
/// ```swift
/// try await PraxisServer.run(store: store, configuration: configuration, logger: logger)
/// ```
public enum PraxisServer {
    /// The routes, with error mapping, body limit and operator authentication in place.
    public static func router<Store: EventStore>(
        store: Store, configuration: ServerConfiguration, logger: Logger,
        clock: @escaping @Sendable () -> Timestamp = { Timestamp(Date()) }
    ) -> Router<PraxisRequestContext> {
        let router = Router(context: PraxisRequestContext.self)
        router.add(middleware: APIErrorMiddleware(logger: logger))
        router.add(middleware: BodyLimitMiddleware(maximumBytes: configuration.maximumBodyBytes))
        HealthRoutes(store: store).register(on: router)
        let service = CommandService(store: store, clock: clock)
        let endpoint = CommandEndpoint(service: service, bodyLimit: configuration.maximumBodyBytes, clock: clock)

        let operatorAuth = OperatorAuthMiddleware<PraxisRequestContext>(tokenHash: configuration.operatorTokenHash)
        LogRoutes(store: store).register(on: router.group("/v1").add(middleware: operatorAuth))
        let operatorGroup = router.group("/v1/operator").add(middleware: operatorAuth)
        for route in CommandRoute.all where route.caller == .operator { endpoint.register(route, on: operatorGroup) }
        AccessTokenRoutes(service: service, clock: clock).register(on: operatorGroup)

        let memberGroup = router.group("/v1").add(middleware: MemberAuthMiddleware(directory: AccessTokenDirectory(store: store)))
        for route in CommandRoute.all where route.caller == .member { endpoint.register(route, on: memberGroup) }
        return router
    }

    /// The application, listening where `configuration` says.
    public static func application<Store: EventStore>(
        store: Store, configuration: ServerConfiguration, logger: Logger,
        onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }
    ) -> some ApplicationProtocol {
        Application(
            router: router(store: store, configuration: configuration, logger: logger),
            configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "praxis"),
            onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? configuration.port) },
            logger: logger
        )
    }

    /// Serves until SIGINT or SIGTERM, then finishes the requests in flight and returns.
    /// `onServerRunning` receives the port actually bound (useful with port 0).
    public static func run<Store: EventStore>(
        store: Store, configuration: ServerConfiguration, logger: Logger,
        onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }
    ) async throws {
        let app = application(store: store, configuration: configuration, logger: logger, onServerRunning: onServerRunning)
        try await app.runService()
    }
}
