import Foundation
import PraxisProtocol

/// The insights report drawn as SVG charts: activity over time, the department-to-department flow
/// heat map, the mentoring funnel and Q&A response times. Plain SVG 1.1, no scripts, no fonts to load.
enum InsightsCharts {
    /// File name and SVG text of every chart.
    static func all(_ report: JSONValue) -> [(String, String)] {
        [
            ("activity.svg", activity(report)),
            ("department-flow.svg", departmentFlow(report)),
            ("mentoring-funnel.svg", mentoringFunnel(report)),
            ("response-times.svg", responseTimes(report)),
        ]
    }

    static let accent = "#2f6fb0"

    /// Distinct active members per day over the period, as bars.
    static func activity(_ report: JSONValue) -> String {
        let days = report["activity"]?["daily_active"]?.arrayValue ?? []
        let counts = days.map { $0["active"]?.numberValue ?? 0 }
        let (width, height, left, bottom, top) = (720.0, 320.0, 48.0, 40.0, 48.0)
        let plotHeight = height - top - bottom
        let peak = max(counts.max() ?? 0, 1)
        let step = counts.isEmpty ? 0 : (width - left - 16) / Double(counts.count)
        var body = title("Active members per day", width: width)
        if counts.isEmpty { body += note("No figures: the community is smaller than the privacy threshold.", y: 160) }
        for (index, count) in counts.enumerated() {
            let barHeight = plotHeight * count / peak
            body += rect(
                x: left + Double(index) * step + 1, y: top + plotHeight - barHeight, width: max(step - 2, 1),
                height: barHeight, fill: accent, tip: "\(day(days[index])): \(Int(count))")
        }
        body += axis(left: left, top: top, bottom: height - bottom, right: width - 16)
        body += text("\(Int(peak))", x: left - 8, y: top + 4, anchor: "end")
        body += text("0", x: left - 8, y: top + plotHeight + 4, anchor: "end")
        if let first = days.first, let last = days.last {
            body += text(day(first), x: left, y: height - bottom + 18, anchor: "start")
            body += text(day(last), x: width - 16, y: height - bottom + 18, anchor: "end")
        }
        return svg(width: width, height: height, body)
    }

    /// Links from helpers' departments (rows) to helped members' departments (columns).
    static func departmentFlow(_ report: JSONValue) -> String {
        let cells = report["knowledge_flow"]?["by_department"]?.arrayValue ?? []
        let rows = Array(Set(cells.compactMap { $0["from"]?.stringValue })).sorted()
        let columns = Array(Set(cells.compactMap { $0["to"]?.stringValue })).sorted()
        let size = 56.0
        let (left, top) = (140.0, 120.0)
        let width = max(left + Double(columns.count) * size + 24, 420)
        let height = top + Double(rows.count) * size + 56
        let peak = max(cells.compactMap { $0["links"]?.numberValue }.max() ?? 1, 1)
        var body = title("Who helps whom: departments (rows help columns)", width: width)
        if cells.isEmpty { body += note("No links in the period.", y: 90) }
        for (index, column) in columns.enumerated() {
            let x = left + Double(index) * size + size / 2
            body +=
                "<text x=\"\(f(x))\" y=\"\(f(top - 8))\" font-size=\"12\" text-anchor=\"start\" transform=\"rotate(-40 \(f(x)) \(f(top - 8)))\">\(escape(column))</text>\n"
        }
        for (rowIndex, row) in rows.enumerated() {
            let y = top + Double(rowIndex) * size
            body += text(row, x: left - 8, y: y + size / 2 + 4, anchor: "end")
            for (columnIndex, column) in columns.enumerated() {
                let x = left + Double(columnIndex) * size
                let cell = cells.first { $0["from"]?.stringValue == row && $0["to"]?.stringValue == column }
                switch cell?["links"] {
                case .number(let links)?:
                    let opacity = 0.15 + 0.85 * links / peak
                    body += rect(
                        x: x + 1, y: y + 1, width: size - 2, height: size - 2, fill: accent, opacity: opacity,
                        tip: "\(row) → \(column): \(Int(links))")
                    body += text("\(Int(links))", x: x + size / 2, y: y + size / 2 + 4, anchor: "middle")
                case .null?:
                    body += rect(
                        x: x + 1, y: y + 1, width: size - 2, height: size - 2, fill: "#d9d9d9",
                        tip: "\(row) → \(column): suppressed (small group)")
                    body += text("·", x: x + size / 2, y: y + size / 2 + 4, anchor: "middle")
                default:
                    body += rect(x: x + 1, y: y + 1, width: size - 2, height: size - 2, fill: "#f4f4f4", tip: "none")
                }
            }
        }
        let threshold = report["minimum_group"]?.numberValue.map { String(Int($0)) } ?? "the threshold"
        body += note(
            "Grey with a dot: suppressed (fewer than \(threshold) people involved). Light: no links.", y: height - 20)
        return svg(width: width, height: height, body)
    }

    /// Newcomers → asked for mentoring → mentored → contributed → gave an accepted answer.
    static func mentoringFunnel(_ report: JSONValue) -> String {
        let steps = report["onboarding"]?["funnel"]?.arrayValue ?? []
        let labels = [
            "newcomers": "Newcomers", "asked_for_mentoring": "Asked for mentoring", "mentored": "Mentored",
            "mentored_and_contributed": "Mentored, contributed",
            "mentored_and_gave_accepted_answer": "Mentored, gave an accepted answer",
        ]
        let (width, left, bar) = (720.0, 240.0, 36.0)
        let height = 64 + Double(steps.count) * (bar + 12)
        let peak = max(steps.compactMap { $0["members"]?.numberValue }.max() ?? 1, 1)
        var body = title("Mentoring funnel of the period's newcomers", width: width)
        for (index, step) in steps.enumerated() {
            let y = 52 + Double(index) * (bar + 12)
            let name = step["step"]?.stringValue ?? ""
            body += text(labels[name] ?? name, x: left - 10, y: y + bar / 2 + 4, anchor: "end")
            if let members = step["members"]?.numberValue {
                let length = (width - left - 60) * members / peak
                body += rect(x: left, y: y, width: max(length, 1), height: bar, fill: accent, tip: "\(Int(members))")
                body += text("\(Int(members))", x: left + length + 8, y: y + bar / 2 + 4, anchor: "start")
            } else {
                body += text("suppressed (small group)", x: left, y: y + bar / 2 + 4, anchor: "start")
            }
        }
        return svg(width: width, height: height, body)
    }

    /// How long questions of the period waited for their first answer.
    static func responseTimes(_ report: JSONValue) -> String {
        let hours = (report["questions"]?["hours_to_first_answer"]?.arrayValue ?? []).compactMap(\.numberValue)
        let buckets: [(String, ClosedRange<Double>)] = [
            ("under 1 h", 0...1), ("1–4 h", 1.000001...4), ("4–24 h", 4.000001...24), ("1–3 days", 24.000001...72),
            ("over 3 days", 72.000001...Double.greatestFiniteMagnitude),
        ]
        let counts = buckets.map { bucket in hours.filter { bucket.1.contains($0) }.count }
        let (width, height, left, bottom, top) = (720.0, 320.0, 48.0, 48.0, 56.0)
        let plotHeight = height - top - bottom
        let peak = Double(max(counts.max() ?? 0, 1))
        let step = (width - left - 16) / Double(buckets.count)
        var body = title("Time to a question's first answer", width: width)
        let median = report["questions"]?["median_hours_to_first_answer"]?.numberValue
        body += text(
            median.map { "median \(f($0)) h over \(hours.count) answered questions" }
                ?? "no median (too few questions or askers)", x: width / 2, y: 44, anchor: "middle")
        for (index, count) in counts.enumerated() {
            let barHeight = plotHeight * Double(count) / peak
            let x = left + Double(index) * step
            body += rect(
                x: x + 8, y: top + plotHeight - barHeight, width: step - 16, height: barHeight, fill: accent,
                tip: "\(buckets[index].0): \(count)")
            body += text("\(count)", x: x + step / 2, y: top + plotHeight - barHeight - 6, anchor: "middle")
            body += text(buckets[index].0, x: x + step / 2, y: height - bottom + 18, anchor: "middle")
        }
        body += axis(left: left, top: top, bottom: height - bottom, right: width - 16)
        return svg(width: width, height: height, body)
    }

    // MARK: - Drawing

    static func svg(width: Double, height: Double, _ body: String) -> String {
        """
        <?xml version="1.0" encoding="UTF-8"?>
        <svg xmlns="http://www.w3.org/2000/svg" width="\(f(width))" height="\(f(height))" viewBox="0 0 \(f(width)) \(f(height))" font-family="Helvetica, Arial, sans-serif" fill="#222">
        <rect width="100%" height="100%" fill="#ffffff"/>
        \(body)</svg>

        """
    }

    static func title(_ text: String, width: Double) -> String {
        "<text x=\"\(f(width / 2))\" y=\"24\" font-size=\"16\" font-weight=\"bold\" text-anchor=\"middle\">\(escape(text))</text>\n"
    }

    static func note(_ line: String, y: Double) -> String {
        "<text x=\"24\" y=\"\(f(y))\" font-size=\"13\" fill=\"#666\">\(escape(line))</text>\n"
    }

    static func text(_ line: String, x: Double, y: Double, anchor: String) -> String {
        "<text x=\"\(f(x))\" y=\"\(f(y))\" font-size=\"12\" text-anchor=\"\(anchor)\">\(escape(line))</text>\n"
    }

    static func rect(
        x: Double, y: Double, width: Double, height: Double, fill: String, opacity: Double = 1, tip: String
    ) -> String {
        "<rect x=\"\(f(x))\" y=\"\(f(y))\" width=\"\(f(width))\" height=\"\(f(height))\" fill=\"\(fill)\" fill-opacity=\"\(f(opacity))\"><title>\(escape(tip))</title></rect>\n"
    }

    static func axis(left: Double, top: Double, bottom: Double, right: Double) -> String {
        "<path d=\"M\(f(left)) \(f(top)) V\(f(bottom)) H\(f(right))\" stroke=\"#888\" fill=\"none\"/>\n"
    }

    /// The date part of a daily-active entry's day.
    static func day(_ entry: JSONValue) -> String { String((entry["day"]?.stringValue ?? "").prefix(10)) }

    /// A coordinate with at most two decimals.
    static func f(_ value: Double) -> String {
        let rounded = (value * 100).rounded() / 100
        return rounded == rounded.rounded() ? String(Int(rounded)) : String(rounded)
    }

    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}
