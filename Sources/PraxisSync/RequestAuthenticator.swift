import Foundation
public import PraxisDomain
public import PraxisProtocol
import PraxisStore

/// A sync request's credentials, as the headers carry them.
public struct SignedRequest: Sendable {
    public var method: String
    /// The request target as sent, query string included.
    public var path: String
    public var body: [UInt8]
    /// Header name → value, for the four `Praxis-*` headers.
    public var headers: [String: String]

    public init(method: String, path: String, body: [UInt8], headers: [String: String]) {
        self.method = method
        self.path = path
        self.body = body
        self.headers = headers
    }
}

/// The device and member a request was authenticated as.
public struct AuthenticatedDevice: Sendable, Hashable {
    public let device: DeviceID
    public let member: MemberID
    public let record: DeviceRecord
}

/// Checks device signatures on sync requests: a known, unrevoked device key; a timestamp within
/// the clock-skew bound; a nonce not seen within the window; the signature over
/// ``RequestSignature/signedBytes``.
///
/// Nonces are remembered for twice the skew bound, per process: a request replayed to the same
/// node inside the window is refused, and outside it its timestamp is stale.
public actor RequestAuthenticator {
    private var seenNonces: [DeviceID: [String: Timestamp]] = [:]
    private let clock: @Sendable () -> Timestamp

    public init(clock: @escaping @Sendable () -> Timestamp) {
        self.clock = clock
    }

    /// The device `request` is signed by, or why it is refused.
    public func authenticate(_ request: SignedRequest, view: SyncView) throws(SyncError) -> AuthenticatedDevice {
        func header(_ name: String) throws(SyncError) -> String {
            guard let value = request.headers[name], !value.isEmpty else {
                throw .unauthenticated("unauthenticated", "the \(name) header is missing; sign the request (PROTOCOL.md §3)")
            }
            return value
        }
        let deviceText = try header(SyncProtocol.Header.device)
        let timeText = try header(SyncProtocol.Header.timestamp)
        let nonce = try header(SyncProtocol.Header.nonce)
        let signatureText = try header(SyncProtocol.Header.signature)
        guard let device = DeviceID(deviceText), let record = view.devices[device] else {
            throw .unauthenticated("unknown_device", "no device \(deviceText) is enrolled")
        }
        if let revokedAt = record.revokedAt {
            throw .unauthenticated("device_revoked", "the device was revoked at log position \(revokedAt)")
        }
        guard let time = Timestamp(rfc3339: timeText) else {
            throw .unauthenticated("invalid_timestamp", "\(SyncProtocol.Header.timestamp) must be YYYY-MM-DDTHH:MM:SS.sssZ")
        }
        let now = clock()
        let skew = SyncProtocol.clockSkewSeconds * 1000
        guard abs(time.millisecondsSinceEpoch - now.millisecondsSinceEpoch) <= skew else {
            var error = SyncError.unauthenticated(
                "stale_request", "the request time is more than \(SyncProtocol.clockSkewSeconds) s from the server's")
            error.details["server_time"] = .string(now.rfc3339)
            throw error
        }
        guard let nonceBytes = Base64URL.decode(nonce), (16...64).contains(nonceBytes.count) else {
            throw .unauthenticated("invalid_nonce", "\(SyncProtocol.Header.nonce) must be 16–64 random bytes in base64url")
        }
        let signed = RequestSignature(
            method: request.method, path: request.path, body: request.body, device: deviceText, timestamp: time,
            nonce: nonce)
        guard let signature = Base64URL.decode(signatureText),
            record.algorithm.isValidSignature(signature, of: signed.signedBytes, publicKey: record.publicKey)
        else {
            throw .unauthenticated("bad_signature", "the request signature does not verify with the device's key")
        }
        var nonces = (seenNonces[device] ?? [:]).filter {
            now.millisecondsSinceEpoch - $0.value.millisecondsSinceEpoch <= 2 * skew
        }
        guard nonces[nonce] == nil else {
            throw .unauthenticated("replayed_request", "this nonce was used before; sign every request with a new one")
        }
        nonces[nonce] = now
        seenNonces[device] = nonces
        return AuthenticatedDevice(device: device, member: record.member, record: record)
    }
}
