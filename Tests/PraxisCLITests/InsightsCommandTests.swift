import Foundation
import PraxisProtocol
import Testing

#if canImport(FoundationXML)
    import FoundationXML
#endif

@Suite("praxis insights")
struct InsightsCommandTests {
    @Test("text, JSON and SVG charts for the organisation and one community; bad options refused")
    func insights() throws {
        let folder = DataFolder()
        let data = ["--data", folder.path]
        #expect(try PraxisProcess.run(["demo", "--members", "60", "--communities", "6", "--days", "30"] + data).status == 0)
        let text = try PraxisProcess.run(["insights", "--period", "28d"] + data)
        #expect(text.status == 0, "\(text.standardError)")
        for section in ["Activity", "Knowledge", "Q&A", "Onboarding", "Leaders", "Stories", "Learning"] {
            #expect(text.standardOutput.contains("\n\(section) "), "\(section)")
        }
        let organisation = try JSONParser.parse(
            Array(try PraxisProcess.run(["insights", "--json"] + data).standardOutput.utf8.dropLast()))
        #expect(organisation["scope"]?["kind"] == "organisation")
        #expect((organisation["activity"]?["members"]?.numberValue ?? 0) >= 60)
        // The same log, the same report: the period ends at the last event, not at the clock.
        let again = try JSONParser.parse(
            Array(try PraxisProcess.run(["insights", "--json"] + data).standardOutput.utf8.dropLast()))
        #expect(again == organisation)

        let communities = try JSONParser.parse(
            Array(try PraxisProcess.run(["communities", "list", "--json"] + data).standardOutput.utf8.dropLast()))
        let community = try #require(communities.arrayValue?.first?["id"]?.stringValue)
        let charts = folder.url.appendingPathComponent("charts").path
        let one = try PraxisProcess.run(
            ["insights", "--community", community, "--period", "90d", "--json", "--svg", charts] + data)
        #expect(one.status == 0, "\(one.standardError)")
        let report = try JSONParser.parse(Array(one.standardOutput.utf8.dropLast()))
        #expect(report["scope"]?["community"]?.stringValue == community)
        #expect(report["period"]?["days"] == 90)
        for name in ["activity.svg", "department-flow.svg", "mentoring-funnel.svg", "response-times.svg"] {
            let path = (charts as NSString).appendingPathComponent(name)
            let svg = try #require(FileManager.default.contents(atPath: path), "\(name)")
            #expect(XMLParser(data: svg).parse(), "\(name) is well-formed XML")
            #expect(String(decoding: svg, as: UTF8.self).contains("<svg xmlns=\"http://www.w3.org/2000/svg\""))
        }
        let activity = try String(contentsOfFile: (charts as NSString).appendingPathComponent("activity.svg"), encoding: .utf8)
        let days = report["activity"]?["daily_active"]?.arrayValue?.count ?? 0
        #expect(days == 90)
        #expect(activity.components(separatedBy: "<rect x=").count - 1 == days, "one bar per day")

        #expect(try PraxisProcess.run(["insights", "--period", "0d"] + data).status == 64)
        #expect(try PraxisProcess.run(["insights", "--community", "nope"] + data).status == 64)
        let unknown = try PraxisProcess.run(["insights", "--community", UUID().uuidString.lowercased()] + data)
        #expect(unknown.status == 1)
        #expect(unknown.standardError.contains("no community"))
    }
}
