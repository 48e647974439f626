import Foundation
import Synchronization

/// Long commands that write new files, stoppable with Ctrl-C (SIGINT) or SIGTERM without leaving
/// anything unfinished behind.
///
/// The first signal cancels the work: its loops stop at their next page and remove their unfinished
/// files on the way out, and the command fails with status 128 + the signal's number (130 for
/// Ctrl-C), as a shell expects. A second signal, for work that does not come to a stop, ends the
/// process at once, as if it had not been caught (hidden `.partial-…` files may then stay).
enum Interruptible {
    /// The first signal's number, 0 before one arrives: all a signal handler may safely touch.
    private static let received = Atomic<Int32>(0)
    private static let signals = [SIGINT, SIGTERM]
    /// How often the work is checked for a signal.
    private static let watchInterval = Duration.milliseconds(20)

    /// Runs `work` until it ends or a signal stops it (then throws a ``CLIFailure`` with 128 + the
    /// signal's number as its exit status).
    static func run<Value: Sendable>(_ work: @escaping @Sendable () async throws -> Value) async throws -> Value {
        received.store(0, ordering: .relaxed)  // also initialises it before a handler can read it
        for number in signals {
            signal(number) { number in
                guard Interruptible.received.compareExchange(expected: 0, desired: number, ordering: .relaxed).exchanged
                else { _exit(128 + number) }
            }
        }
        defer { for number in signals { signal(number, SIG_DFL) } }
        let task = Task { try await work() }
        let watcher = Task {
            while !Task.isCancelled {
                if received.load(ordering: .relaxed) != 0 { return task.cancel() }
                try? await Task.sleep(for: watchInterval)
            }
        }
        defer { watcher.cancel() }
        do {
            return try await task.value
        } catch {
            let number = received.load(ordering: .relaxed)
            guard number != 0 else { throw error }
            throw CLIFailure("interrupted; what was being written is removed", exitCode: 128 + number)
        }
    }
}
