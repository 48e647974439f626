import Foundation
import PraxisCommands
import PraxisDomain
import PraxisProtocol
import PraxisStore
import Testing

@testable import PraxisSync

/// Pull cursors as the server issues and reads them: version 3, naming communities by their
/// numbers in the sync view, and the versions 2 (HMAC) and 1 (Ed25519) issued before, which name
/// them by id and which devices may still hold.
@Suite("Sync cursors")
struct SyncCursorTests {
    let serverKey = TreeHeadKey()
    let ids = (0..<700).map { _ in CommunityID(UUID()) }
    let member = MemberID(UUID())

    /// The view's numbering of the first `count` of ``ids``.
    func numbering(_ count: Int = 700) -> CommunityNumbering {
        var numbering = CommunityNumbering()
        for id in ids.prefix(count) { _ = numbering.number(for: id) }
        return numbering
    }

    func cursor(holding numbers: some Sequence<UInt32>) -> SyncCursor {
        SyncCursor(
            position: LogPosition(1_042), issuedAt: LogPosition(2_310), member: member, communities: CommunityBits(numbers))
    }

    @Test("a cursor reads back as issued; any changed byte, or the key of another server, is refused")
    func roundTrip() throws {
        let key = CursorKey(serverKey)
        let cursor = cursor(holding: [3, 64, 65, 699])
        let text = try #require(cursor.encoded(with: key, numbering: numbering()))
        #expect(try SyncCursor(decoding: text, key: key, numbering: numbering()) == cursor)
        // The same key material gives the same cursor key: nodes sharing the server key agree.
        let restored = try #require(TreeHeadKey(rawRepresentation: serverKey.rawRepresentation))
        #expect(try SyncCursor(decoding: text, key: CursorKey(restored), numbering: numbering()) == cursor)

        let bytes = try #require(Base64URL.decode(text))
        #expect(bytes.first == 3)
        for index in [0, 9, 20, 30, 42, 47, 53, 55, bytes.count - 1] {
            var changed = bytes
            changed[index] ^= 0x01
            #expect(throws: SyncError.self) {
                try SyncCursor(decoding: Base64URL.encode(changed), key: key, numbering: numbering())
            }
        }
        #expect(
            code { try SyncCursor(decoding: text, key: CursorKey(TreeHeadKey()), numbering: numbering()) } == "cursor_too_old")
    }

    @Test("a view that numbers communities otherwise, or has not numbered them all, does not take the cursor")
    func otherNumbering() throws {
        let key = CursorKey(serverKey)
        let text = try #require(cursor(holding: [1, 2]).encoded(with: key, numbering: numbering(600)))
        // More communities numbered since: the same numbers still mean the same communities.
        #expect(try SyncCursor(decoding: text, key: key, numbering: numbering(700)) == cursor(holding: [1, 2]))
        // Fewer: the cursor is ahead of this view.
        #expect(code { try SyncCursor(decoding: text, key: key, numbering: numbering(599)) } == "invalid_cursor")
        // Two communities numbered the other way round: the numbers no longer mean what they meant.
        var swapped = CommunityNumbering()
        for id in [ids[1], ids[0]] + ids[2..<600] { _ = swapped.number(for: id) }
        #expect(code { try SyncCursor(decoding: text, key: key, numbering: swapped) } == "cursor_too_old")
    }

    @Test("the bytes follow the documented layout, as a bitmap or as a list, whichever is shorter")
    func layout() throws {
        let key = CursorKey(serverKey)
        let numbering = numbering()
        func head(_ held: SyncCursor, form: UInt8) -> [UInt8] {
            // version ‖ key prefix ‖ position ‖ head ‖ member ‖ numbered ‖ digest ‖ form
            var body: [UInt8] = [3] + key.prefix
            body += [0, 0, 0, 0, 0, 0, 0x04, 0x12] + [0, 0, 0, 0, 0, 0, 0x09, 0x06]
            body += withUnsafeBytes(of: held.member.uuid.uuid, Array.init) + [0, 0, 0x02, 0xBC]
            body += withUnsafeBytes(of: (numbering.digest(ofFirst: 700) ?? 0).bigEndian, Array.init) + [form]
            return body
        }
        // Three communities: a list (0, then 127 − 0 − 1 = 126, then 300 − 127 − 1 = 172 in two bytes).
        let few = cursor(holding: [0, 127, 300])
        var body = head(few, form: 1) + [0, 126, 0xAC, 0x01]
        #expect(try bytes(few, key, numbering) == body + key.tag(body))
        // Half of them: a bitmap of 700 bits in 88 bytes.
        let numbers = (0..<700).filter { $0 % 2 == 1 }.map(UInt32.init)
        let many = cursor(holding: numbers)
        body = head(many, form: 0) + [UInt8](repeating: 0xAA, count: 87) + [0x0A]
        let text = try #require(many.encoded(with: key, numbering: numbering))
        #expect(try bytes(many, key, numbering) == body + key.tag(body))
        #expect(try SyncCursor(decoding: text, key: key, numbering: numbering) == many)
        // And none at all: an empty list.
        body = head(cursor(holding: []), form: 1)
        #expect(try bytes(cursor(holding: []), key, numbering) == body + key.tag(body))
    }

    @Test("any scope reads back as issued, in either form", arguments: 1...20)
    func anyScopeRoundTrips(seed: UInt64) throws {
        var random = SplitMix64(seed: seed)
        let key = CursorKey(serverKey)
        let numbered = 1 + Int(random.next() % 700)
        let density = 1 + random.next() % 64
        let held = cursor(holding: (0..<UInt32(numbered)).filter { _ in random.next() % 64 < density })
        let text = try #require(held.encoded(with: key, numbering: numbering(numbered)))
        #expect(try SyncCursor(decoding: text, key: key, numbering: numbering(numbered)) == held)
    }

    @Test("the longest cursor fits in a request's head (80 KiB); a scope that needs more is not written")
    func longestCursorFitsInTheHead() throws {
        let key = CursorKey(serverKey)
        var numbering = CommunityNumbering()
        // A bitmap over 383,000 communities is the longest cursor written; one over 400,000 is too long.
        for _ in 0..<400_000 { _ = numbering.number(for: CommunityID(UUID())) }
        let wide = SyncCursor(
            position: LogPosition(Int64.max), issuedAt: LogPosition(Int64.max), member: member,
            communities: CommunityBits((0..<UInt32(400_000)).filter { $0 % 3 != 0 }))
        #expect(wide.encoded(with: key, numbering: numbering) == nil)
        var fewer = wide
        fewer.communities = CommunityBits(wide.communities.filter { $0 < 383_000 })
        #expect(fewer.encoded(with: key, numbering: numbering) == nil, "the bitmap spans every number given")
        // A member who reads a few of them is named in a short list, however many there are.
        let sparse = SyncCursor(
            position: LogPosition(1), issuedAt: LogPosition(2), member: member, communities: CommunityBits([7, 399_999]))
        #expect(try bytes(sparse, key, numbering).count == 54 + 1 + 3 + 32, "7, then 399,991 in three bytes")

        var longest = CommunityNumbering()
        for _ in 0..<(8 * (SyncCursor.maximumBytes - 54 - 32)) { _ = longest.number(for: CommunityID(UUID())) }
        let every = SyncCursor(
            position: LogPosition(Int64.max), issuedAt: LogPosition(Int64.max), member: member,
            communities: CommunityBits((0..<UInt32(longest.count)).filter { $0 % 3 != 0 }))
        let text = try #require(every.encoded(with: key, numbering: longest))
        #expect(try #require(Base64URL.decode(text)).count == SyncCursor.maximumBytes)
        let requestLine = "GET /v1/sync/pull?cursor=\(text)&limit=1000 HTTP/1.1"
        // What else a signed pull sends: the four signature headers and the usual ones, well under 4 KiB.
        #expect(requestLine.utf8.count + 4_096 < 80 * 1_024)
    }

    @Test("version 2 and version 1 cursors, which name communities by id, are still read; forged ones are not")
    func earlierVersions() throws {
        let key = CursorKey(serverKey)
        let numbering = numbering()
        let held: [UInt32] = [5, 6, 400]
        // The body as servers issued it before: … ‖ member ‖ count ‖ ids ascending.
        var body: [UInt8] = [2] + key.prefix
        body += [0, 0, 0, 0, 0, 0, 0x04, 0x12] + [0, 0, 0, 0, 0, 0, 0x09, 0x06]
        body += withUnsafeBytes(of: member.uuid.uuid, Array.init) + [0, 3]
        for id in held.map({ withUnsafeBytes(of: ids[Int($0)].uuid.uuid, Array.init) }).sorted(by: {
            $0.lexicographicallyPrecedes($1)
        }) {
            body += id
        }
        let version2 = Base64URL.encode(body + key.tag(body))
        #expect(try SyncCursor(decoding: version2, key: key, numbering: numbering) == cursor(holding: held))
        body[0] = 1
        let version1 = Base64URL.encode(body + serverKey.signature(over: body))
        #expect(try SyncCursor(decoding: version1, key: key, numbering: numbering) == cursor(holding: held))

        let forged = Base64URL.encode(body + TreeHeadKey().signature(over: body))
        #expect(code { try SyncCursor(decoding: forged, key: key, numbering: numbering) } == "invalid_cursor")
        // A version 2 tag on a version 1 body, or a version nobody issued, is refused.
        #expect(
            code { try SyncCursor(decoding: Base64URL.encode(body + key.tag(body)), key: key, numbering: numbering) }
                == "invalid_cursor")
        body[0] = 4
        #expect(
            code { try SyncCursor(decoding: Base64URL.encode(body + key.tag(body)), key: key, numbering: numbering) }
                == "invalid_cursor")
        // A community the view never numbered: not this log's cursor.
        body[0] = 2
        body.replaceSubrange(43..<59, with: withUnsafeBytes(of: UUID().uuid, Array.init))
        #expect(
            code { try SyncCursor(decoding: Base64URL.encode(body + key.tag(body)), key: key, numbering: numbering) }
                == "cursor_too_old")
    }

    /// The bytes of `cursor` as issued, before base64url.
    private func bytes(_ cursor: SyncCursor, _ key: CursorKey, _ numbering: CommunityNumbering) throws -> [UInt8] {
        let text = try #require(cursor.encoded(with: key, numbering: numbering))
        return try #require(Base64URL.decode(text))
    }

    /// The code `decode` is refused with; `nil` when it decodes.
    private func code(_ decode: () throws -> SyncCursor) -> String? {
        do {
            _ = try decode()
            return nil
        } catch {
            return (error as? SyncError)?.code ?? "not a SyncError: \(error)"
        }
    }
}
