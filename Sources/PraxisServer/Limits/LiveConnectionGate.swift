import HTTPTypes
import Synchronization

/// Bounds the open `GET /v1/sync/live` streams, in all and per device, so that clients holding
/// streams open cannot exhaust the node. A stream holds a ``Slot`` for as long as its response
/// exists; the slot is given back when the response is done with, however it ends.
final class LiveConnectionGate: Sendable {
    /// Streams one device may hold open at once (a phone and its share extension, say).
    static let perDevice = 2

    private struct Counts {
        var total = 0
        var byDevice: [String: Int] = [:]
    }

    let maximum: Int
    private let counts = Mutex(Counts())

    init(maximum: Int) {
        self.maximum = maximum
    }

    /// A slot for one more stream of `device`, or `503 too_many_live_connections`.
    func enter(device: String) throws(APIError) -> Slot {
        let admitted = counts.withLock { counts in
            guard counts.total < maximum, counts.byDevice[device, default: 0] < Self.perDevice else { return false }
            counts.total += 1
            counts.byDevice[device, default: 0] += 1
            return true
        }
        guard admitted else {
            var error = APIError(
                .serviceUnavailable, code: "too_many_live_connections",
                "too many live streams are open (this device may hold \(Self.perDevice)); retry later or pull")
            error.headers[.retryAfter] = "5"
            throw error
        }
        return Slot(gate: self, device: device)
    }

    fileprivate func leave(device: String) {
        counts.withLock { counts in
            counts.total -= 1
            counts.byDevice[device, default: 1] -= 1
            if counts.byDevice[device] == 0 { counts.byDevice[device] = nil }
        }
    }

    /// One open stream; given back when released.
    final class Slot: Sendable {
        private let gate: LiveConnectionGate
        private let device: String

        fileprivate init(gate: LiveConnectionGate, device: String) {
            self.gate = gate
            self.device = device
        }

        deinit { gate.leave(device: device) }
    }
}
