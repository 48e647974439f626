import PraxisDomain
import PraxisProtocol
public import PraxisStore

/// Checks every author signature in the log against the device key that was valid at the event's
/// position: the device was enrolled earlier in the log, not revoked before, the algorithm is its
/// key's, the event names it, and the signature verifies over the stored canonical bytes.
///
/// ```swift
/// let result = try await AuthorSignatureVerifier(store: store).verify()
/// if let fault = result.fault { print("position \(fault.position): \(fault.message)") }
/// ```
public struct AuthorSignatureVerifier<Store: EventStore>: Sendable {
    /// The first signature that does not hold.
    public struct Fault: Sendable, Hashable {
        public let position: LogPosition
        public let message: String
    }

    let store: Store

    public init(store: Store) {
        self.store = store
    }

    /// Reads the whole log in order; stops at the first fault. `progress` gets each page's last position.
    public func verify(progress: (LogPosition) -> Void = { _ in }) async throws(StoreError)
        -> (signedEvents: Int, fault: Fault?)
    {
        var devices: [String: DeviceRecord] = [:]
        var checked = 0
        var next = LogPosition(1)
        while true {
            let page = try await store.read(from: next, limit: 1000)
            guard let last = page.last else { return (checked, nil) }
            for record in page {
                if let signature = record.event.signature {
                    if let problem = Self.problem(with: signature, of: record, devices: devices) {
                        return (checked, Fault(position: record.position, message: problem))
                    }
                    checked += 1
                }
                switch try? EventRegistry.decode(record.envelope) {
                case let enrolled as DeviceEnrolled:
                    if let key = Base64URL.decode(enrolled.publicKey) {
                        devices[enrolled.device.description] = DeviceRecord(
                            member: enrolled.member, algorithm: enrolled.algorithm, publicKey: key)
                    }
                case let revoked as DeviceRevoked:
                    devices[revoked.device.description]?.revokedAt = record.position
                default:
                    break
                }
            }
            progress(last.position)
            next = last.position.next
        }
    }

    private static func problem(
        with signature: EventSignature, of record: RecordedEvent, devices: [String: DeviceRecord]
    ) -> String? {
        guard let device = devices[signature.keyID] else {
            return "signed by device \(signature.keyID), which no earlier event enrolled"
        }
        if let revokedAt = device.revokedAt {
            return "signed by device \(signature.keyID), revoked at position \(revokedAt)"
        }
        guard signature.algorithm == device.algorithm else {
            return "signed with \(signature.algorithm.rawValue), but the device's key is \(device.algorithm.rawValue)"
        }
        guard record.envelope.metadata.device?.wireString == signature.keyID,
            record.envelope.metadata.actor == device.member.uuid
        else { return "the event's metadata does not name the signing device and its member" }
        guard signature.verifies(record.event.canonicalBytes, publicKey: device.publicKey) else {
            return "the signature of device \(signature.keyID) does not verify over the stored bytes"
        }
        return nil
    }
}
