import Synchronization
import Testing

@testable import PraxisSync

@Suite("Scan gate: a bounded number of log scans at once")
struct ScanGateTests {
    @Test("never more scans at once than its width; every scan runs, errors pass through", arguments: [1, 3])
    func bounded(width: Int) async throws {
        let gate = ScanGate(width: width)
        let counts = Counts()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<40 {
                group.addTask {
                    do {
                        try await gate.run { () async throws(SyncError) in
                            counts.state.withLock {
                                $0.running += 1
                                $0.most = max($0.most, $0.running)
                            }
                            try? await Task.sleep(for: .milliseconds(2))
                            counts.state.withLock {
                                $0.running -= 1
                                $0.finished += 1
                            }
                            if index == 7 { throw SyncError.badRequest("scan_failed", "the seventh scan fails") }
                        }
                        #expect(index != 7)
                    } catch let error as SyncError {
                        #expect(index == 7 && error.code == "scan_failed")
                    }
                }
            }
            try await group.waitForAll()
        }
        let final = counts.state.withLock { $0 }
        #expect(final.finished == 40)
        #expect(final.most == width, "as many as the width ran together, and never more")
        #expect(final.running == 0)
        try await gate.run { () async throws(SyncError) in () }  // a failed scan gave its place back
    }

    /// Scans running now, the most that ran together, and scans finished.
    final class Counts: Sendable {
        let state = Mutex((running: 0, most: 0, finished: 0))
    }
}
