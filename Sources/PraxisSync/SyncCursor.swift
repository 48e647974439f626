import Crypto
import Foundation
import PraxisDomain
import PraxisProtocol
import PraxisStore

/// A pull cursor: where a device is in the log, and which communities it holds, so the next pull
/// can tell it what to purge and what to backfill. Opaque to clients, signed by the server.
///
/// Bytes before base64url: version (1) ‖ server key id prefix (8) ‖ position (8, big-endian) ‖
/// head when issued (8) ‖ member (16) ‖ community count (2) ‖ communities (16 each, ascending) ‖
/// Ed25519 signature (64).
struct SyncCursor: Equatable {
    static let version: UInt8 = 1

    var position: LogPosition
    /// The log's head when the cursor was issued: how stale it is, whatever the page size.
    var issuedAt: LogPosition
    var member: MemberID
    var communities: Set<CommunityID>

    func encoded(with key: TreeHeadKey) -> String {
        var bytes: [UInt8] = [Self.version] + Self.keyPrefix(key)
        bytes += withUnsafeBytes(of: UInt64(bitPattern: position.value).bigEndian, Array.init)
        bytes += withUnsafeBytes(of: UInt64(bitPattern: issuedAt.value).bigEndian, Array.init)
        bytes += Self.bytes(of: member.uuid)
        let sorted = communities.map(\.uuid).map(Self.bytes).sorted { $0.lexicographicallyPrecedes($1) }
        bytes += withUnsafeBytes(of: UInt16(sorted.count).bigEndian, Array.init)
        for id in sorted { bytes += id }
        return Base64URL.encode(bytes + key.signature(over: bytes))
    }

    /// Reads a cursor this server issued. A cursor signed by another server key is too old: its
    /// scope cannot be trusted, so the device bootstraps.
    init(decoding text: String, key: TreeHeadKey) throws(SyncError) {
        let invalid = SyncError.badRequest("invalid_cursor", "the cursor is not one this server issued; pull without a cursor")
        guard let bytes = Base64URL.decode(text), bytes.count >= 43 + 64, bytes[0] == Self.version else { throw invalid }
        let body = Array(bytes.dropLast(64))
        guard Array(body[1..<9]) == Self.keyPrefix(key) else {
            throw SyncError(
                .gone, "cursor_too_old", "the cursor was issued under an earlier server key; bootstrap (PROTOCOL.md §6.4)")
        }
        guard let publicKey = try? Curve25519.Signing.PublicKey(rawRepresentation: key.publicKey),
            publicKey.isValidSignature(bytes.suffix(64), for: body)
        else { throw invalid }
        let position = body[9..<17].reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        let issuedAt = body[17..<25].reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        let count = Int(body[41]) << 8 | Int(body[42])
        guard body.count == 43 + 16 * count else { throw invalid }
        self.position = LogPosition(Int64(bitPattern: position))
        self.issuedAt = LogPosition(Int64(bitPattern: issuedAt))
        self.member = MemberID(Self.uuid(Array(body[25..<41])))
        self.communities = Set(
            (0..<count).map { CommunityID(Self.uuid(Array(body[(43 + 16 * $0)..<(59 + 16 * $0)]))) })
    }

    init(position: LogPosition, issuedAt: LogPosition, member: MemberID, communities: Set<CommunityID>) {
        self.position = position
        self.issuedAt = issuedAt
        self.member = member
        self.communities = communities
    }

    private static func keyPrefix(_ key: TreeHeadKey) -> [UInt8] { Array(SHA256.hash(data: key.publicKey).prefix(8)) }

    private static func bytes(of uuid: UUID) -> [UInt8] { withUnsafeBytes(of: uuid.uuid, Array.init) }

    private static func uuid(_ bytes: [UInt8]) -> UUID {
        UUID(
            uuid: (
                bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7], bytes[8], bytes[9],
                bytes[10], bytes[11], bytes[12], bytes[13], bytes[14], bytes[15]
            ))
    }
}
