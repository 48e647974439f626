import ArgumentParser
import Foundation
import PraxisDemo
import PraxisProtocol
import PraxisStore

/// `praxis demo`: a realistic organisation, built through the real command path.
struct Demo: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Build a realistic demo organisation in an empty data folder.",
        discussion: """
            Regions and departments, a few executives, practice, learning and external communities, \
            questions answered across departments, success stories, weekly learning events with \
            attendance, newcomers with mentors — every action a command decided by the domain, on a \
            simulated clock from --start. The same options give the same log, byte for byte.

            Examples:
              praxis demo --data ./demo-data
              praxis demo --members 2000 --communities 60 --days 180 --seed 1
              praxis demo --members 50 --communities 5 --days 14 --data /tmp/tiny
            """
    )

    @OptionGroup var data: DataOptions
    @Option(help: "How many members (2–100000).") var members = 2000
    @Option(help: "How many communities (1–2000).") var communities = 60
    @Option(help: "How many days to simulate (1–3650).") var days = 180
    @Option(help: "The seed; the same seed gives the same organisation.") var seed: UInt64 = 1
    @Option(help: "The first simulated day (YYYY-MM-DD).") var start = "2026-05-01"

    func validate() throws {
        guard (2...100_000).contains(members) else { throw ValidationError("--members must be from 2 to 100000") }
        guard (1...2000).contains(communities) else { throw ValidationError("--communities must be from 1 to 2000") }
        guard (1...3650).contains(days) else { throw ValidationError("--days must be from 1 to 3650") }
        guard Timestamp(rfc3339: start + "T00:00:00.000Z") != nil else {
            throw ValidationError("--start must be a date, YYYY-MM-DD")
        }
    }

    func run() async throws {
        try data.requireSQLite("praxis demo")
        let settings = DemoSettings(
            members: members, communities: communities, days: days, seed: seed,
            start: Timestamp(rfc3339: start + "T00:00:00.000Z") ?? DemoSettings().start)
        let began = Date()
        let report = try await DemoRunner.build(settings, data: data)
        let statistics = try await data.openStore().statistics()
        let seconds = Date().timeIntervalSince(began)
        print("built \(members) members and \(communities) communities over \(days) days in \(String(format: "%.1f", seconds)) s")
        print(
            "events  \(statistics.eventCount) of \(statistics.countsByType.count) types (\(Int(Double(statistics.eventCount) / max(seconds, 0.001))) events/s)"
        )
        print("commands accepted \(report.accepted), refused by the rules \(report.refused)")
        for (code, count) in report.refusals.sorted(by: { $0.value > $1.value }) { print("  refused \(code): \(count)") }
    }
}

/// Runs a demo into a data folder with a progress display on standard error.
enum DemoRunner {
    static func build(_ settings: DemoSettings, data: DataOptions) async throws -> DemoReport {
        let clock = DemoClock(start: settings.start)
        let store = try SQLiteEventStore(
            path: data.logPath, options: .init(treeHeadKey: try data.serverKey(create: true)), clock: { clock.now })
        let bar = ProgressBar(total: settings.days, label: "days")
        do {
            let report = try await DemoOrganisation(store: store, clock: clock, settings: settings).build { progress in
                bar.update(progress.day, detail: "\(progress.accepted) commands")
            }
            bar.finish()
            try store.close()
            return report
        } catch {
            bar.finish()
            throw CLIFailure("demo: \(error)")
        }
    }
}
