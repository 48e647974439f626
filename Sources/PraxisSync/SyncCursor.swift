import Crypto
import Foundation
import PraxisDomain
import PraxisProtocol
import PraxisStore

/// A pull cursor: where a device is in the log, and which communities it holds, so the next pull
/// can tell it what to purge and what to backfill. Opaque to clients, authenticated by the server.
///
/// Version 3, the one issued, names the communities by their numbers in the sync view's
/// ``CommunityNumbering``, so its length hardly grows with the member's scope. Bytes before
/// base64url: version (1) ‖ server key id prefix (8) ‖ position (8, big-endian) ‖ head when issued
/// (8) ‖ member (16) ‖ communities numbered when issued, `n` (4) ‖ the numbering's digest of those
/// `n` (8) ‖ form (1) ‖ the held communities ‖ HMAC-SHA-256 tag (32) under ``CursorKey``. Form 0
/// is a bitmap of `⌈n / 8⌉` bytes (number `k` is bit `k % 8`, least significant first, of byte
/// `k / 8`); form 1 lists the numbers ascending, each as unsigned LEB128 of its distance from the
/// one before less one (the first: the number itself). The shorter form is written.
///
/// Versions 1 and 2, issued before, named the communities by id: … ‖ member (16) ‖ count (2) ‖
/// ids (16 each, ascending) ‖ tag, an Ed25519 signature of the server key (64) for version 1 and
/// the HMAC (32) for version 2. Devices may still hold them, so they are still read.
struct SyncCursor: Equatable {
    static let version: UInt8 = 3
    /// The longest cursor issued, in bytes before base64url. A device sends the cursor back in a
    /// pull's query and the server takes at most 80 KiB of request head: 48,000 bytes make 64,000
    /// characters. A bitmap that long covers 383,000 communities.
    static let maximumBytes = 48_000
    /// A version 3 cursor's bytes before the held communities.
    private static let headLength = 54

    var position: LogPosition
    /// The log's head when the cursor was issued: how stale it is, whatever the page size.
    var issuedAt: LogPosition
    var member: MemberID
    /// The communities the device holds, by number.
    var communities: CommunityBits

    init(position: LogPosition, issuedAt: LogPosition, member: MemberID, communities: CommunityBits) {
        self.position = position
        self.issuedAt = issuedAt
        self.member = member
        self.communities = communities
    }

    /// The cursor as issued under `key`, numbering the communities as `numbering` does; `nil` when
    /// it would be longer than ``maximumBytes`` (or names a number `numbering` has not given).
    func encoded(with key: CursorKey, numbering: CommunityNumbering) -> String? {
        let numbered = numbering.count
        guard communities.end <= numbered, let digest = numbering.digest(ofFirst: numbered) else { return nil }
        let bitmapLength = (numbered + 7) / 8
        let listLength = communities.reduce(into: (length: 0, previous: -1)) { sum, number in
            sum.length += Self.lengthOfLEB128(UInt32(Int(number) - sum.previous - 1))
            sum.previous = Int(number)
        }.length
        let scopeLength = min(bitmapLength, listLength)
        guard Self.headLength + scopeLength + 32 <= Self.maximumBytes else { return nil }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(Self.headLength + scopeLength + 32)
        bytes.append(Self.version)
        bytes += key.prefix
        Self.append(UInt64(bitPattern: position.value), to: &bytes)
        Self.append(UInt64(bitPattern: issuedAt.value), to: &bytes)
        withUnsafeBytes(of: member.uuid.uuid) { bytes += $0 }
        withUnsafeBytes(of: UInt32(numbered).bigEndian) { bytes += $0 }
        Self.append(digest, to: &bytes)
        if bitmapLength <= listLength {
            bytes.append(0)
            let start = bytes.count
            bytes += repeatElement(0, count: bitmapLength)
            for number in communities { bytes[start + Int(number / 8)] |= UInt8(1) << UInt8(number % 8) }
        } else {
            bytes.append(1)
            var previous = -1
            for number in communities {
                Self.appendLEB128(UInt32(Int(number) - previous - 1), to: &bytes)
                previous = Int(number)
            }
        }
        bytes += key.tag(bytes)
        return Base64URL.encode(bytes)
    }

    /// Reads a cursor this server issued, its communities numbered as `numbering` does. A cursor
    /// of another server key, or numbered otherwise than `numbering` (a log not this one), is too
    /// old: its scope cannot be trusted, so the device bootstraps.
    init(decoding text: String, key: CursorKey, numbering: CommunityNumbering) throws(SyncError) {
        guard let bytes = Base64URL.decode(text), let version = bytes.first, let tagLength = CursorKey.tagLength[version],
            bytes.count >= 43 + tagLength
        else { throw Self.invalid }
        let body = Array(bytes.dropLast(tagLength))
        guard Array(body[1..<9]) == key.prefix else {
            throw SyncError(
                .gone, "cursor_too_old", "the cursor was issued under an earlier server key; bootstrap (PROTOCOL.md §6.4)")
        }
        guard key.isValid(tag: Array(bytes.suffix(tagLength)), of: body, version: version) else { throw Self.invalid }
        position = LogPosition(Int64(bitPattern: Self.uint64(in: body, at: 9)))
        issuedAt = LogPosition(Int64(bitPattern: Self.uint64(in: body, at: 17)))
        member = MemberID(Self.uuid(in: body, at: 25))
        communities =
            version >= 3
            ? try Self.numberedCommunities(body, numbering: numbering)
            : try Self.communitiesByID(body, numbering: numbering)
    }

    private static let invalid = SyncError.badRequest(
        "invalid_cursor", "the cursor is not one this server issued; pull without a cursor")

    private static let renumbered = SyncError(
        .gone, "cursor_too_old",
        "the cursor names communities as this server's log does not; bootstrap (PROTOCOL.md §6.4)")

    /// The held communities of a version 3 cursor's `body`.
    private static func numberedCommunities(_ body: [UInt8], numbering: CommunityNumbering) throws(SyncError)
        -> CommunityBits
    {
        guard body.count >= headLength else { throw invalid }
        let numbered = Int(body[41..<45].reduce(UInt32(0)) { $0 << 8 | UInt32($1) })
        guard numbered <= numbering.count else {
            throw .badRequest("invalid_cursor", "the cursor is ahead of this server's log")
        }
        guard numbering.digest(ofFirst: numbered) == uint64(in: body, at: 45) else { throw renumbered }
        let scope = body[headLength...]
        var communities = CommunityBits()
        switch body[53] {
        case 0:
            guard scope.count == (numbered + 7) / 8 else { throw invalid }
            for (offset, byte) in scope.enumerated() where byte != 0 {
                for bit in 0..<8 where byte & (1 << bit) != 0 { communities.insert(UInt32(offset * 8 + bit)) }
            }
        case 1:
            var reader = scope.makeIterator()
            var next = 0
            while let first = reader.next() {
                guard let distance = readLEB128(first: first, rest: &reader) else { throw invalid }
                next += Int(distance)
                guard next < numbered else { throw invalid }
                communities.insert(UInt32(next))
                next += 1
            }
        default:
            throw invalid
        }
        guard communities.end <= numbered else { throw invalid }
        return communities
    }

    /// The held communities of a version 1 or 2 cursor's `body`, which names them by id.
    private static func communitiesByID(_ body: [UInt8], numbering: CommunityNumbering) throws(SyncError)
        -> CommunityBits
    {
        let count = Int(body[41]) << 8 | Int(body[42])
        guard body.count == 43 + 16 * count else { throw invalid }
        var communities = CommunityBits()
        for index in 0..<count {
            guard let number = numbering.number(of: CommunityID(uuid(in: body, at: 43 + 16 * index))) else {
                throw renumbered
            }
            communities.insert(number)
        }
        return communities
    }

    private static func append(_ value: UInt64, to bytes: inout [UInt8]) {
        withUnsafeBytes(of: value.bigEndian) { bytes += $0 }
    }

    private static func lengthOfLEB128(_ value: UInt32) -> Int {
        max(1, (32 - value.leadingZeroBitCount + 6) / 7)
    }

    private static func appendLEB128(_ value: UInt32, to bytes: inout [UInt8]) {
        var rest = value
        while rest >= 0x80 {
            bytes.append(UInt8(rest & 0x7F) | 0x80)
            rest >>= 7
        }
        bytes.append(UInt8(rest))
    }

    /// An unsigned LEB128 value of at most 32 bits beginning with `first`; `nil` when it runs past
    /// the end or over 32 bits.
    private static func readLEB128(first: UInt8, rest: inout some IteratorProtocol<UInt8>) -> UInt32? {
        var value = UInt64(first & 0x7F)
        var byte = first
        var shift: UInt64 = 7
        while byte & 0x80 != 0 {
            guard shift < 35, let next = rest.next() else { return nil }
            byte = next
            value |= UInt64(byte & 0x7F) << shift
            shift += 7
        }
        return UInt32(exactly: value)
    }

    private static func uint64(in bytes: [UInt8], at offset: Int) -> UInt64 {
        bytes[offset..<offset + 8].reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
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
    static let tagLength: [UInt8: Int] = [1: 64, 2: 32, 3: 32]

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

    /// The tag of a version 2 or 3 cursor's `bytes`.
    func tag(_ bytes: [UInt8]) -> [UInt8] { Array(HMAC<SHA256>.authenticationCode(for: bytes, using: mac)) }

    /// Whether `tag` authenticates `body` as a cursor of `version` (compared in constant time).
    func isValid(tag: [UInt8], of body: [UInt8], version: UInt8) -> Bool {
        switch version {
        case 1: publicKey?.isValidSignature(tag, for: body) ?? false
        case 2, 3: HMAC<SHA256>.isValidAuthenticationCode(tag, authenticating: body, using: mac)
        default: false
        }
    }
}
