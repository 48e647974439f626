/// Wakes tasks waiting for the log's head to pass a position. A store calls ``advance(to:)`` after
/// each commit; readers call ``wait(beyond:timeout:)`` when they have caught up.
///
/// There is no lost wake-up: a waiter whose position the head has already passed returns at once,
/// and the head only moves forward.
package actor AppendSignal {
    private var head: LogPosition
    private var waiters: [Int: (threshold: LogPosition, continuation: CheckedContinuation<Void, Never>)] = [:]
    private var nextWaiterID = 0

    package init(head: LogPosition) {
        self.head = head
    }

    /// Records that everything up to `position` is committed and wakes whoever waited for it.
    package func advance(to position: LogPosition) {
        guard position > head else { return }
        head = position
        for (id, waiter) in waiters where waiter.threshold < position {
            waiters[id] = nil
            waiter.continuation.resume()
        }
    }

    /// Returns once the head is beyond `position`, after `timeout`, or on cancellation.
    package func wait(beyond position: LogPosition, timeout: Duration) async {
        guard head <= position else { return }
        let id = nextWaiterID
        nextWaiterID += 1
        await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                guard !Task.isCancelled else {
                    continuation.resume()
                    return
                }
                waiters[id] = (position, continuation)
                Task { [weak self] in
                    try? await Task.sleep(for: timeout)
                    await self?.release(id)
                }
            }
        } onCancel: {
            Task { await self.release(id) }
        }
    }

    private func release(_ id: Int) {
        waiters.removeValue(forKey: id)?.continuation.resume()
    }
}
