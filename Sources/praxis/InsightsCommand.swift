import ArgumentParser
import Foundation
import PraxisDomain
import PraxisProjections
import PraxisProtocol
import PraxisStore

/// `praxis insights`: does this community create value?
struct InsightsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "insights",
        abstract: "Community value insights: activity, knowledge flow, Q&A, onboarding, leaders, stories, learning.",
        discussion: """
            Brings the read models up to the log, then reports on one community (--community) or the \
            whole organisation. As an operator you see member-level figures (bridges, mentor load); \
            figures about groups smaller than --min-group are still suppressed. The period ends at \
            the last event unless --until says otherwise, so the same log gives the same report.

            Examples:
              praxis insights --period 28d
              praxis insights --community 0b5a…-… --period 90d --json
              praxis insights --svg ./charts
            """)

    @OptionGroup var data: DataOptions
    @Option(help: "The community to report on (default: the whole organisation).") var community: String?
    @Option(help: "The period: days followed by d, 1d to 366d.") var period = "28d"
    @Option(help: "The period's end, YYYY-MM-DDTHH:MM:SS.sssZ (default: the last event).") var until: String?
    @Option(help: "Questions unanswered for longer than this many days count as stale.") var staleDays = 7
    @Option(help: "Suppress figures about groups of fewer members than this.") var minGroup = 5
    @Flag(help: "Print the report as JSON.") var json = false
    @Option(help: "Also write the charts as SVG files into this folder.", completion: .directory) var svg: String?

    func validate() throws {
        guard InsightsRequest.periodDays(period) != nil else {
            throw ValidationError("--period must be a number of days from 1 to 366 followed by d, e.g. 28d")
        }
        guard until.map({ Timestamp(rfc3339: $0) != nil }) ?? true else {
            throw ValidationError("--until must be a time, YYYY-MM-DDTHH:MM:SS.sssZ")
        }
        guard (1...366).contains(staleDays) else { throw ValidationError("--stale-days must be from 1 to 366") }
        guard (1...1000).contains(minGroup) else { throw ValidationError("--min-group must be from 1 to 1000") }
        guard community.map({ CommunityID($0) != nil }) ?? true else {
            throw ValidationError("--community must be a lowercase hyphenated UUID")
        }
    }

    func run() async throws {
        let scope: InsightsRequest.Scope = community.flatMap(CommunityID.init).map { .community($0) } ?? .organisation
        let engine = try await Projections.engine(data)
        try await engine.catchUp()
        let request = InsightsRequest(
            scope: scope, periodDays: InsightsRequest.periodDays(period) ?? 28, until: until.flatMap(Timestamp.init(rfc3339:)),
            staleAfterDays: staleDays, minimumGroup: minGroup, viewer: .operator)
        let report: JSONValue
        do {
            report = try await ReadModelQueries(readModels: try ReadModelStore(path: data.readModelPath)).insights(request)
                .report
        } catch let failure as QueryFailure {
            throw CLIFailure(failure.message)
        }
        if let svg { try writeCharts(report, to: svg) }
        if json {
            printJSON(report)
        } else {
            print(InsightsSummary.text(report), terminator: "")
        }
    }

    private func writeCharts(_ report: JSONValue, to folder: String) throws {
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            for (name, chart) in InsightsCharts.all(report) {
                let path = (folder as NSString).appendingPathComponent(name)
                try Data(chart.utf8).write(to: URL(fileURLWithPath: path))
                printError("wrote \(path)")
            }
        } catch {
            throw CLIFailure("cannot write the charts to \(folder): \(error.localizedDescription)")
        }
    }
}
