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
    /// The most communities a cursor names. A device sends the cursor back in a pull's query, and
    /// the server takes at most 80 KiB of request head: 3,000 communities make 64,100 characters.
    static let maximumCommunities = 3_000

    var position: LogPosition
    /// The log's head when the cursor was issued: how stale it is, whatever the page size.
    var issuedAt: LogPosition
    var member: MemberID
    var communities: Set<CommunityID>

    /// Written into one buffer, the communities sorted as two big-endian integers each: a member
    /// of a large organisation holds hundreds of communities, and an array per id, sorted as byte
    /// arrays, was 8% of a pull's processor time on a million-event log.
    func encoded(with key: CursorKey) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(43 + 16 * communities.count + 32)
        bytes.append(Self.version)
        bytes += key.prefix
        Self.append(UInt64(bitPattern: position.value), to: &bytes)
        Self.append(UInt64(bitPattern: issuedAt.value), to: &bytes)
        Self.append(IDHalves(member.uuid), to: &bytes)
        withUnsafeBytes(of: UInt16(communities.count).bigEndian) { bytes += $0 }
        for id in communities.map({ IDHalves($0.uuid) }).sorted() { Self.append(id, to: &bytes) }
        bytes += key.tag(bytes)
        return Base64URL.encode(bytes)
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
        self.member = MemberID(Self.uuid(in: body, at: 25))
        var communities = Set<CommunityID>(minimumCapacity: count)
        for index in 0..<count { communities.insert(CommunityID(Self.uuid(in: body, at: 43 + 16 * index))) }
        self.communities = communities
    }

    init(position: LogPosition, issuedAt: LogPosition, member: MemberID, communities: Set<CommunityID>) {
        self.position = position
        self.issuedAt = issuedAt
        self.member = member
        self.communities = communities
    }

    /// An id's 16 bytes as two big-endian integers, which order as the bytes do: written as they
    /// are, and sorted cheaply.
    private struct IDHalves: Comparable {
        let high: UInt64
        let low: UInt64

        init(_ uuid: UUID) {
            (high, low) = withUnsafeBytes(of: uuid.uuid) { raw in
                (
                    UInt64(bigEndian: raw.loadUnaligned(fromByteOffset: 0, as: UInt64.self)),
                    UInt64(bigEndian: raw.loadUnaligned(fromByteOffset: 8, as: UInt64.self))
                )
            }
        }

        static func < (left: IDHalves, right: IDHalves) -> Bool { (left.high, left.low) < (right.high, right.low) }
    }

    private static func append(_ value: UInt64, to bytes: inout [UInt8]) {
        withUnsafeBytes(of: value.bigEndian) { bytes += $0 }
    }

    private static func append(_ id: IDHalves, to bytes: inout [UInt8]) {
        append(id.high, to: &bytes)
        append(id.low, to: &bytes)
    }

    /// The id in the 16 bytes of `bytes` from `offset`.
    private static func uuid(in bytes: [UInt8], at offset: Int) -> UUID {
        bytes.withUnsafeBytes { UUID(uuid: $0.loadUnaligned(fromByteOffset: offset, as: uuid_t.self)) }
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
