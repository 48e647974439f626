import Crypto
import Foundation
import PraxisDomain
import PraxisProtocol
import PraxisStore

/// A pull cursor: where a device is in the log, and which communities it holds, so the next pull
/// can tell it what to purge and what to backfill. Opaque to clients, authenticated by the server.
///
/// Bytes before base64url: version (1) ‖ server key id prefix (8) ‖ position (8, big-endian) ‖
/// head when issued (8) ‖ member (16) ‖ community count (2) ‖ communities (16 each, ascending) ‖
/// tag. Version 2, the one issued, is tagged with HMAC-SHA-256 (32 bytes) under ``CursorKey``;
/// version 1, issued before, with an Ed25519 signature (64 bytes) of the server key, and is
/// still read.
struct SyncCursor: Equatable {
    static let version: UInt8 = 2

    var position: LogPosition
    /// The log's head when the cursor was issued: how stale it is, whatever the page size.
    var issuedAt: LogPosition
    var member: MemberID
    var communities: Set<CommunityID>

    func encoded(with key: CursorKey) -> String {
        var bytes: [UInt8] = [Self.version] + key.prefix
        bytes += withUnsafeBytes(of: UInt64(bitPattern: position.value).bigEndian, Array.init)
        bytes += withUnsafeBytes(of: UInt64(bitPattern: issuedAt.value).bigEndian, Array.init)
        bytes += Self.bytes(of: member.uuid)
        let sorted = communities.map(\.uuid).map(Self.bytes).sorted { $0.lexicographicallyPrecedes($1) }
        bytes += withUnsafeBytes(of: UInt16(sorted.count).bigEndian, Array.init)
        for id in sorted { bytes += id }
        return Base64URL.encode(bytes + key.tag(bytes))
    }

    /// Reads a cursor this server issued. A cursor of another server key is too old: its scope
    /// cannot be trusted, so the device bootstraps.
    init(decoding text: String, key: CursorKey) throws(SyncError) {
        let invalid = SyncError.badRequest("invalid_cursor", "the cursor is not one this server issued; pull without a cursor")
        guard let bytes = Base64URL.decode(text), let version = bytes.first, let tagLength = CursorKey.tagLength[version],
            bytes.count >= 43 + tagLength
        else { throw invalid }
        let body = Array(bytes.dropLast(tagLength))
        guard Array(body[1..<9]) == key.prefix else {
            throw SyncError(
                .gone, "cursor_too_old", "the cursor was issued under an earlier server key; bootstrap (PROTOCOL.md §6.4)")
        }
        guard key.isValid(tag: Array(bytes.suffix(tagLength)), of: body, version: version) else { throw invalid }
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

    private static func bytes(of uuid: UUID) -> [UInt8] { withUnsafeBytes(of: uuid.uuid, Array.init) }

    private static func uuid(_ bytes: [UInt8]) -> UUID {
        UUID(
            uuid: (
                bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7], bytes[8], bytes[9],
                bytes[10], bytes[11], bytes[12], bytes[13], bytes[14], bytes[15]
            ))
    }
}

/// What a server tags and checks its pull cursors with, derived once from its tree-head key.
///
/// Only servers holding that key read a cursor back, so a MAC is enough: HMAC-SHA-256 under a key
/// derived with HKDF from the private key, which costs a fraction of the Ed25519 signature check
/// version 1 cursors needed on every pull. Nodes sharing the server key share this key too.
struct CursorKey: Sendable {
    /// Tag length by cursor version.
    static let tagLength: [UInt8: Int] = [1: 64, 2: 32]

    /// The first 8 bytes of SHA-256 of the server's public key: tells a cursor of another key.
    let prefix: [UInt8]
    private let mac: SymmetricKey
    private let publicKey: Curve25519.Signing.PublicKey?

    init(_ serverKey: TreeHeadKey) {
        prefix = Array(SHA256.hash(data: serverKey.publicKey).prefix(8))
        mac = HKDF<SHA256>.deriveKey(
            inputKeyMaterial: SymmetricKey(data: serverKey.rawRepresentation), info: Array("praxis-sync cursor".utf8),
            outputByteCount: 32)
        publicKey = try? Curve25519.Signing.PublicKey(rawRepresentation: serverKey.publicKey)
    }

    /// The tag of a version 2 cursor's `bytes`.
    func tag(_ bytes: [UInt8]) -> [UInt8] { Array(HMAC<SHA256>.authenticationCode(for: bytes, using: mac)) }

    /// Whether `tag` authenticates `body` as a cursor of `version` (compared in constant time).
    func isValid(tag: [UInt8], of body: [UInt8], version: UInt8) -> Bool {
        switch version {
        case 1: publicKey?.isValidSignature(tag, for: body) ?? false
        case 2: HMAC<SHA256>.isValidAuthenticationCode(tag, authenticating: body, using: mac)
        default: false
        }
    }
}
