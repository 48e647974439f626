import Foundation
import PraxisDomain
import PraxisProtocol
import PraxisStore
import Testing

@testable import PraxisSync

/// Pull cursors as the server issues and reads them: HMAC-tagged version 2 cursors, and the
/// Ed25519-signed version 1 cursors issued before, which devices may still hold.
@Suite("Sync cursors")
struct SyncCursorTests {
    let serverKey = TreeHeadKey()
    let cursor = SyncCursor(
        position: LogPosition(1_042), issuedAt: LogPosition(2_310), member: MemberID(UUID()),
        communities: Set((0..<5).map { _ in CommunityID(UUID()) }))

    @Test("a cursor reads back as issued; any changed byte, or the key of another server, is refused")
    func roundTrip() throws {
        let key = CursorKey(serverKey)
        let text = cursor.encoded(with: key)
        #expect(try SyncCursor(decoding: text, key: key) == cursor)
        // The same key material gives the same cursor key: nodes sharing the server key agree.
        let restored = try #require(TreeHeadKey(rawRepresentation: serverKey.rawRepresentation))
        #expect(try SyncCursor(decoding: text, key: CursorKey(restored)) == cursor)

        let bytes = try #require(Base64URL.decode(text))
        #expect(bytes.first == 2 && bytes.count == 43 + 16 * 5 + 32)
        for index in [0, 9, 20, 30, 42, 50, bytes.count - 1] {
            var changed = bytes
            changed[index] ^= 0x01
            #expect(throws: SyncError.self) { try SyncCursor(decoding: Base64URL.encode(changed), key: key) }
        }
        let other = CursorKey(TreeHeadKey())
        #expect(code { try SyncCursor(decoding: text, key: other) } == "cursor_too_old")
    }

    @Test("the bytes follow the documented layout, the communities in ascending byte order, also for hundreds")
    func layout() throws {
        let key = CursorKey(serverKey)
        let large = SyncCursor(
            position: LogPosition(7), issuedAt: LogPosition(1_000_000), member: MemberID(UUID()),
            communities: Set((0..<400).map { _ in CommunityID(UUID()) }))
        let text = large.encoded(with: key)
        #expect(try SyncCursor(decoding: text, key: key) == large)
        // The layout spelled out: version ‖ key prefix ‖ position ‖ head ‖ member ‖ count ‖ ids ‖ tag.
        func bytes(_ uuid: UUID) -> [UInt8] { withUnsafeBytes(of: uuid.uuid, Array.init) }
        var body: [UInt8] = [2] + key.prefix
        body += [0, 0, 0, 0, 0, 0, 0, 7] + [0, 0, 0, 0, 0, 0x0F, 0x42, 0x40] + bytes(large.member.uuid) + [0x01, 0x90]
        for id in large.communities.map({ bytes($0.uuid) }).sorted(by: { $0.lexicographicallyPrecedes($1) }) { body += id }
        #expect(try #require(Base64URL.decode(text)) == body + key.tag(body))
    }

    @Test("a cursor naming the most communities a pull takes still fits in a request's head (80 KiB)")
    func largestCursorFitsInTheHead() throws {
        let key = CursorKey(serverKey)
        let largest = SyncCursor(
            position: LogPosition(Int64.max), issuedAt: LogPosition(Int64.max), member: MemberID(UUID()),
            communities: Set((0..<SyncCursor.maximumCommunities).map { _ in CommunityID(UUID()) }))
        let requestLine = "GET /v1/sync/pull?cursor=\(largest.encoded(with: key))&limit=1000 HTTP/1.1"
        // What else a signed pull sends: the four signature headers and the usual ones, well under 4 KiB.
        #expect(requestLine.utf8.count + 4_096 < 80 * 1_024)
    }

    @Test("a version 1 cursor, signed with the server key's Ed25519 half, is still read; a forged one is not")
    func versionOne() throws {
        let key = CursorKey(serverKey)
        let version2 = try #require(Base64URL.decode(cursor.encoded(with: key)))
        // The same body with version 1 and an Ed25519 signature, as servers issued it before.
        var body = Array(version2.dropLast(32))
        body[0] = 1
        let signed = Base64URL.encode(body + serverKey.signature(over: body))
        #expect(try SyncCursor(decoding: signed, key: key) == cursor)

        let forged = Base64URL.encode(body + TreeHeadKey().signature(over: body))
        #expect(code { try SyncCursor(decoding: forged, key: key) } == "invalid_cursor")
        // A version 2 tag on a version 1 body, or a version nobody issued, is refused.
        #expect(code { try SyncCursor(decoding: Base64URL.encode(body + key.tag(body)), key: key) } == "invalid_cursor")
        body[0] = 3
        #expect(code { try SyncCursor(decoding: Base64URL.encode(body + key.tag(body)), key: key) } == "invalid_cursor")
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
