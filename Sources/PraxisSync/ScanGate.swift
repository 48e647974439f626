import Synchronization

/// Lets a bounded number of log scans (pull pages, backfills) run at once; the others wait their
/// turn, first come first served. A scan holds up to a thousand stored events and their decoded
/// forms in memory and is bound by the processor, so running more scans than the cores can serve
/// adds memory — up to a gigabyte with 500 devices bootstrapping at once — without adding speed.
final class ScanGate: Sendable {
    private struct State {
        var running = 0
        var waiting: [CheckedContinuation<Void, Never>] = []
    }

    /// How many scans run at once.
    let width: Int
    private let state = Mutex(State())

    init(width: Int) {
        self.width = max(1, width)
    }

    /// Runs `scan` once fewer than ``width`` scans are running.
    func run<Value>(_ scan: () async throws(SyncError) -> Value) async throws(SyncError) -> Value {
        await enter()
        defer { leave() }
        return try await scan()
    }

    private func enter() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let admitted = state.withLock { state in
                guard state.running < width else {
                    state.waiting.append(continuation)
                    return false
                }
                state.running += 1
                return true
            }
            if admitted { continuation.resume() }
        }
    }

    private func leave() {
        // The place is handed straight to the next in line, so `running` stays the same then.
        let next = state.withLock { state -> CheckedContinuation<Void, Never>? in
            guard !state.waiting.isEmpty else {
                state.running -= 1
                return nil
            }
            return state.waiting.removeFirst()
        }
        next?.resume()
    }
}
