import ArgumentParser
import Foundation
import PraxisProjections
import PraxisServer
import PraxisStore

/// The `praxis` command: run the service and look after its log.
@main
struct Praxis: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "praxis",
        abstract: "Praxis: an event-sourced backend for enterprise social networks.",
        discussion: """
            Every action is an append-only event in a log; read models are built from it.

            Examples:
              praxis serve                        run the service on ./praxis-data
              praxis log stats --data ./praxis-data
              praxis log verify
            """,
        version: ServerConfiguration.version,
        subcommands: [
            Serve.self, Members.self, Communities.self, Devices.self, Demo.self, Log.self, Projections.self, Audit.self,
            Migrate.self, Bench.self, InsightsCommand.self, ProtocolTools.self,
        ]
    )

    /// Runs the chosen command; a ``CLIFailure``, a store's error, a damaged read-model file or a
    /// file system error becomes one line on standard error and an exit code.
    static func main() async {
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch let failure as CLIFailure {
            printError("praxis: \(failure.description)")
            Foundation.exit(failure.exitCode)
        } catch let error as StoreError {
            printError("praxis: \(error.message)")
            Foundation.exit(1)
        } catch let error as ReadModelFileError {
            printError("praxis: \(error.description)")
            Foundation.exit(1)
        } catch let error as CocoaError {
            printError("praxis: \(CLIFailure(error).description)")
            Foundation.exit(1)
        } catch {
            exit(withError: error)
        }
    }
}

/// `praxis log …`: inspect and check the event log.
struct Log: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Inspect and verify the event log.",
        discussion: """
            Examples:
              praxis log tail --limit 5
              praxis log stats --json
              praxis log verify --data /var/lib/praxis
              praxis log export --out log.ndjson
            """,
        subcommands: [LogTail.self, LogStats.self, LogVerify.self, LogExportCommand.self, LogImportCommand.self]
    )
}
