import Foundation
import Synchronization

/// Progress on standard error: a redrawn bar with rate and ETA on a terminal, a plain line every
/// tenth of the way otherwise (logs stay readable).
final class ProgressBar: Sendable {
    let total: Int
    let label: String
    let started = Date()
    private let lastDecile = Mutex(-1)

    init(total: Int, label: String) {
        self.total = max(total, 1)
        self.label = label
    }

    func update(_ done: Int, detail: String) {
        let fraction = min(1, Double(done) / Double(total))
        let elapsed = Date().timeIntervalSince(started)
        let eta = fraction > 0 ? elapsed / fraction - elapsed : 0
        let text =
            "\(done)/\(total) \(label), \(detail), \(String(format: "%.0f", elapsed)) s, ETA \(String(format: "%.0f", eta)) s"
        if standardErrorIsTerminal {
            let width = 30
            let filled = Int(fraction * Double(width))
            printError(
                "\r[" + String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled) + "] " + text,
                terminator: "")
        } else if lastDecile.withLock({ last in
            let decile = Int(fraction * 10)
            defer { last = max(last, decile) }
            return decile > last
        }) {
            printError(text)
        }
    }

    func finish() {
        if standardErrorIsTerminal { printError("") }
    }
}
