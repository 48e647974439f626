import ArgumentParser
import Foundation
import Logging
import PraxisServer
import PraxisStore

/// `praxis serve`: the HTTP service over the SQLite log.
struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the Praxis HTTP service.",
        discussion: """
            Creates the data folder and its log on first start, and an operator token in
            DATA/operator.token for the operator endpoints (GET /v1/log). Stops gracefully on
            SIGINT (Ctrl-C) or SIGTERM.

            Examples:
              praxis serve
              praxis serve --data /var/lib/praxis --host 0.0.0.0 --port 9000
              curl http://127.0.0.1:8080/health
            """
    )

    @OptionGroup var data: DataOptions

    @Option(help: "Address to listen on.")
    var host = "127.0.0.1"

    @Option(help: "Port to listen on (0 picks a free one).")
    var port = 8080

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be from 0 to 65535") }
    }

    func run() async throws {
        let logger = {
            var logger = Logger(label: "praxis")
            logger.logLevel = .info
            return logger
        }()
        let store = try data.openStore(create: true)
        let tokenHash = try OperatorTokenFile(path: data.operatorTokenPath).loadOrCreateHash()
        let configuration = ServerConfiguration(host: host, port: port, operatorTokenHash: tokenHash)
        let head = try await store.head()
        logger.info("log at \(store.path), head \(head); operator token in \(data.operatorTokenPath)")
        let host = self.host
        try await PraxisServer.run(store: store, configuration: configuration, logger: logger) { port in
            logger.info("listening on http://\(host):\(port)")
        }
        try store.close()
        logger.info("stopped")
    }
}
