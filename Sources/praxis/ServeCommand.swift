import ArgumentParser
import Foundation
import Logging
import PraxisCommands
import PraxisDemo
import PraxisDomain
import PraxisProjections
import PraxisProtocol
import PraxisServer
import PraxisStore

/// `praxis serve`: the HTTP service over the SQLite log.
struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the Praxis HTTP service.",
        discussion: """
            Creates the data folder and its log on first start, and an operator token in \
            DATA/operator.token for the operator endpoints (GET /v1/log). Stops gracefully on \
            SIGINT (Ctrl-C) or SIGTERM.

            With --store postgres://… (or PRAXIS_STORE_URL) the log is in PostgreSQL and several \
            nodes may serve it: each keeps its own read models in its DATA folder, following the \
            shared log. Give every node the same DATA/server.key.

            Abuse limits: each member (bearer token) and each device (signed sync request) may make \
            --rate-limit requests per second after a burst of --rate-burst; beyond that the answer \
            is 429 rate_limited with Retry-After. Connections idle for --idle-timeout seconds, or \
            whose request does not arrive in full within --request-timeout seconds, are closed.

            Examples:
              praxis serve
              praxis serve --demo
              praxis serve --store postgres://praxis@db/praxis --data ./node-1 --port 8081
              praxis serve --data ./as-of-12000 --read-only
              praxis serve --data /var/lib/praxis --host 0.0.0.0 --port 9000
              praxis serve --rate-limit 50 --rate-burst 200 --max-live-connections 5000
              curl http://127.0.0.1:8080/health
            """
    )

    @OptionGroup var data: DataOptions

    @Option(help: "Address to listen on.")
    var host = "127.0.0.1"

    @Option(help: "Port to listen on (0 picks a free one).")
    var port = 8080

    @Flag(help: "On an empty data folder, build a small demo organisation first and print a ready-to-run curl line.")
    var demo = false

    @Flag(help: "Answer reads only (403 read_only to writes), e.g. over an `audit replay` folder; creates no log.")
    var readOnly = false

    @Option(help: "Sync cursors issued more than this many events ago get 410 cursor_too_old (default: no limit).")
    var syncHorizon: Int64?

    @Option(help: "Insights figures about groups of fewer members than this are suppressed.")
    var insightsMinGroup = 5

    @Option(help: "Close a connection that sends and receives nothing for this many seconds.")
    var idleTimeout = 30

    @Option(help: "Close a connection whose request has not arrived in full this many seconds after its head.")
    var requestTimeout = 60

    @Option(help: "Requests per second each member and each device may make, beyond the burst (0: no limit).")
    var rateLimit = RateLimit.standard.requestsPerSecond

    @Option(help: "Requests each member and each device may make at once after a quiet spell.")
    var rateBurst = RateLimit.standard.burst

    @Option(help: "Open live streams (GET /v1/sync/live) allowed at once.")
    var maxLiveConnections = 1000

    func validate() throws {
        if let syncHorizon, syncHorizon < 1 { throw ValidationError("--sync-horizon must be at least 1") }
        guard (1...1000).contains(insightsMinGroup) else { throw ValidationError("--insights-min-group must be from 1 to 1000") }
        guard (1...3600).contains(idleTimeout) else { throw ValidationError("--idle-timeout must be from 1 to 3600 seconds") }
        guard (1...3600).contains(requestTimeout) else {
            throw ValidationError("--request-timeout must be from 1 to 3600 seconds")
        }
        guard rateLimit >= 0, rateLimit.isFinite else { throw ValidationError("--rate-limit must be 0 or more") }
        guard (1...100_000).contains(rateBurst) else { throw ValidationError("--rate-burst must be from 1 to 100000") }
        guard (1...100_000).contains(maxLiveConnections) else {
            throw ValidationError("--max-live-connections must be from 1 to 100000")
        }
        guard (0...65535).contains(port) else { throw ValidationError("--port must be from 0 to 65535") }
        guard !(demo && readOnly) else { throw ValidationError("--demo and --read-only do not go together") }
        if demo { try data.requireSQLite("praxis serve --demo") }
    }

    func run() async throws {
        let logger = {
            var logger = Logger(label: "praxis")
            logger.logLevel = .info
            return logger
        }()
        let example = demo ? try await seedDemo(logger: logger) : nil
        let store = try await data.openLog(create: !readOnly)
        // A read-only folder may have no key: its pull pages are then signed by a key of this run.
        let serverKey = try data.serverKey(create: !readOnly) ?? TreeHeadKey()
        let backend = PraxisBackend(
            store: store, readModels: try ReadModelStore(path: data.readModelPath), serverKey: serverKey)
        let tokenHash = try OperatorTokenFile(path: data.operatorTokenPath).loadOrCreateHash()
        let configuration = ServerConfiguration(
            host: host, port: port, operatorTokenHash: tokenHash, readOnly: readOnly, syncHorizon: syncHorizon,
            insightsMinimumGroup: insightsMinGroup, idleTimeout: .seconds(idleTimeout),
            requestTimeout: .seconds(requestTimeout),
            rateLimit: rateLimit > 0 ? RateLimit(requestsPerSecond: rateLimit, burst: rateBurst) : nil,
            maximumLiveConnections: maxLiveConnections)
        let head = try await store.head()
        logger.info("log at \(data.logDescription), head \(head); operator token in \(data.operatorTokenPath)")
        let host = self.host
        let tokenPath = data.operatorTokenPath
        do {
            try await PraxisServer.run(backend: backend, configuration: configuration, logger: logger) { port in
                logger.info("listening on http://\(host):\(port)")
                if let example {
                    let text = example.instructions(base: "http://\(host):\(port)", operatorTokenPath: tokenPath)
                    FileHandle.standardOutput.write(Data((text + "\n").utf8))
                }
            }
        } catch let failure as ListenFailure {
            store.close()
            throw CLIFailure(failure.description)
        }
        store.close()
        logger.info("stopped")
    }

    /// Builds the small demo organisation when the folder has no log yet; returns what to try.
    private func seedDemo(logger: Logger) async throws -> DemoExample? {
        guard !FileManager.default.fileExists(atPath: data.logPath) else {
            logger.info("--demo: \(data.directory) already has a log; serving it as it is")
            return nil
        }
        logger.info("--demo: building a small demo organisation in \(data.directory)")
        let report = try await DemoRunner.build(DemoSettings(members: 60, communities: 8, days: 30), data: data)
        guard let member = report.sampleMember, let community = report.sampleCommunity else { return nil }
        let minted = AccessTokenMint.mint(at: Timestamp(Date()))
        try await CommandRunner(data: data).run(
            IssueAccessToken(member: member.id, token: minted.id, tokenHash: minted.hash), as: .operator)
        return DemoExample(memberName: member.name, community: community, token: minted.token)
    }
}

/// What `serve --demo` suggests trying.
struct DemoExample: Sendable {
    let memberName: String
    let community: CommunityID
    let token: String

    func instructions(base: String, operatorTokenPath: String) -> String {
        """

        Demo organisation ready. Post a question as \(memberName):

          curl -s -X POST \(base)/v1/communities/\(community)/posts \\
            -H 'Authorization: Bearer \(token)' -H 'Content-Type: application/json' \\
            -d '{"kind":"question","title":"Where do I start?","body":"Hello from the demo #onboarding"}'

        Then read the log as the operator:

          curl -s '\(base)/v1/log?limit=5' -H "Authorization: Bearer $(cat \(operatorTokenPath))"

        """
    }
}
