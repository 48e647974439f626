import PraxisProtocol

/// What `praxis log verify` found.
public struct LogVerification: Sendable, Hashable {
    /// A broken invariant at one position.
    public struct Fault: Sendable, Hashable, CustomStringConvertible {
        /// What kind of damage.
        public enum Kind: String, Sendable, Hashable {
            /// The stored hash is not SHA-256 of the stored bytes.
            case hashMismatch = "hash_mismatch"
            /// A position is absent: positions must run 1, 2, 3, … without a hole.
            case missingPosition = "missing_position"
            /// The stored bytes are not an event envelope, or the row's columns disagree with them.
            case undecodable
            /// The stored bytes are valid but not the canonical form of their JSON.
            case nonCanonical = "non_canonical"
            /// A stream's versions do not run 1, 2, 3, … in log order.
            case streamVersionGap = "stream_version_gap"
        }

        /// The first position found damaged.
        public let position: LogPosition
        /// The kind of damage.
        public let kind: Kind
        /// What exactly is wrong.
        public let message: String

        public var description: String { "position \(position): \(kind.rawValue): \(message)" }
    }

    /// How many events were checked and found intact.
    public let checkedEvents: Int64
    /// The head of the log when verification began.
    public let head: LogPosition
    /// The first fault, or `nil` when the whole log is intact.
    public let fault: Fault?
}

/// Re-checks a log from its first event: every hash recomputed from the stored bytes, the bytes
/// canonical, positions gap-free, stream versions consecutive. Stops at the first fault.
public struct LogVerifier<Store: EventStore>: Sendable {
    let store: Store
    let pageSize: Int

    public init(store: Store, pageSize: Int = 1000) {
        self.store = store
        self.pageSize = pageSize
    }

    /// Verifies the log up to its current head; `progress` gets (events checked, head) after each page.
    public func verify(progress: (Int64, LogPosition) -> Void = { _, _ in }) async throws(StoreError)
        -> LogVerification
    {
        let head = try await store.head()
        var state = State()
        while state.expected <= head {
            let (events, readFault) = try await page(from: state.expected)
            for event in events {
                if let fault = state.check(event) { return state.result(head: head, fault: fault) }
            }
            if let readFault { return state.result(head: head, fault: readFault) }
            if events.isEmpty {
                let fault = LogVerification.Fault(
                    position: state.expected, kind: .missingPosition, message: "the log ends before its head \(head)")
                return state.result(head: head, fault: fault)
            }
            progress(state.checked, head)
        }
        return state.result(head: head, fault: nil)
    }

    /// The next page, or the readable part of it and the fault that stopped the read.
    private func page(from position: LogPosition) async throws(StoreError)
        -> ([RecordedEvent], LogVerification.Fault?)
    {
        do {
            return (try await store.read(from: position, limit: pageSize), nil)
        } catch  where error.code == .corruptEvent {
            let bad = error.position ?? position
            let before = bad > position ? try await store.read(from: position, limit: Int(bad.value - position.value)) : []
            return (before, LogVerification.Fault(position: bad, kind: .undecodable, message: error.message))
        }
    }

    private struct State {
        var expected = LogPosition(1)
        var checked: Int64 = 0
        var streamVersions: [StreamName: Int64] = [:]

        mutating func check(_ event: RecordedEvent) -> LogVerification.Fault? {
            func fault(_ kind: LogVerification.Fault.Kind, _ message: String) -> LogVerification.Fault {
                LogVerification.Fault(position: event.position, kind: kind, message: message)
            }
            guard event.position == expected else {
                return LogVerification.Fault(
                    position: expected, kind: .missingPosition,
                    message: "position \(expected) is missing; the next event is at \(event.position)")
            }
            guard EventHash(hashing: event.event.canonicalBytes) == event.event.hash else {
                return fault(.hashMismatch, "the stored hash \(event.event.hash) is not SHA-256 of the stored bytes")
            }
            do {
                _ = try AuthoredEvent(canonicalBytes: event.event.canonicalBytes)
            } catch  where error.code == .nonCanonical {
                return fault(.nonCanonical, error.message)
            } catch {
                return fault(.undecodable, error.description)
            }
            let previous = streamVersions[event.stream] ?? 0
            guard event.streamVersion == previous + 1 else {
                return fault(
                    .streamVersionGap,
                    "stream \(event.stream) goes from version \(previous) to \(event.streamVersion)")
            }
            streamVersions[event.stream] = event.streamVersion
            expected = event.position.next
            checked += 1
            return nil
        }

        func result(head: LogPosition, fault: LogVerification.Fault?) -> LogVerification {
            LogVerification(checkedEvents: checked, head: head, fault: fault)
        }
    }
}
