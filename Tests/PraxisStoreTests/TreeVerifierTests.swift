import Foundation
import GRDB
import PraxisProtocol
import PraxisStore
import Testing

@Suite("Audit: signed tree heads catch what per-event checks cannot")
struct TreeVerifierTests {
    /// 30 events of one stream in 6 batches (6 signed heads), closed.
    static func seeded() async throws -> StoreFixture {
        let fixture = try await StoreFixture(.sqlite)
        let store = try fixture.openSQLite()
        for _ in 0..<6 { _ = try await store.append(TestEvents.batch(5, in: TestEvents.stream("community/audit"))) }
        try store.close()
        return fixture
    }

    static func verify(_ fixture: borrowing StoreFixture) async throws -> (LogVerification, TreeVerification) {
        let store = try fixture.openSQLite()
        return (
            try await LogVerifier(store: store).verify(),
            try await TreeVerifier(store: store, publicKey: fixture.treeHeadKey.publicKey).verify()
        )
    }

    @Test("an intact log passes both checks")
    func intact() async throws {
        let (events, tree) = try await Self.verify(try await Self.seeded())
        #expect(events.fault == nil && tree.fault == nil)
        #expect(tree.checkedHeads == 6)
    }

    @Test("a payload rewritten together with its hash passes every per-event check but not the tree")
    func consistentRewrite() async throws {
        let fixture = try await Self.seeded()
        let store = try fixture.openSQLite()
        let original = try #require(try await store.read(from: 12, limit: 1).first)
        try store.close()
        var envelope = original.envelope
        envelope.payload = ["n": 999]
        let forged = AuthoredEvent(envelope)
        try Tamperer(path: fixture.logPath).execute(
            "UPDATE events SET canonical = ?, hash = ? WHERE position = 12",
            [Data(forged.canonicalBytes), Data(forged.hash.bytes)])
        let (events, tree) = try await Self.verify(fixture)
        #expect(events.fault == nil, "per-event checks cannot see it")
        #expect(tree.fault?.kind == .rootMismatch)
        #expect(tree.fault?.treeSize == 15, "the first signed head covering position 12")
    }

    @Test("rows reordered with consistent stream versions are found by the tree")
    func reordered() async throws {
        let fixture = try await Self.seeded()
        // Swap everything but position and stream version between positions 8 and 27.
        try Tamperer(path: fixture.logPath).execute(
            """
            CREATE TEMP TABLE a AS SELECT id, canonical, hash, server_time FROM events WHERE position = 8;
            CREATE TEMP TABLE b AS SELECT id, canonical, hash, server_time FROM events WHERE position = 27;
            UPDATE events SET id = 'moving' WHERE position = 8;
            UPDATE events SET id = (SELECT id FROM a), canonical = (SELECT canonical FROM a), hash = (SELECT hash FROM a),
                server_time = (SELECT server_time FROM a) WHERE position = 27;
            UPDATE events SET id = (SELECT id FROM b), canonical = (SELECT canonical FROM b), hash = (SELECT hash FROM b),
                server_time = (SELECT server_time FROM b) WHERE position = 8;
            """)
        let (events, tree) = try await Self.verify(fixture)
        #expect(events.fault == nil, "each row is consistent in itself")
        #expect(tree.fault?.kind == .rootMismatch)
        #expect(tree.fault?.treeSize == 10, "the first signed head covering position 8")
    }

    @Test("a forged tree head and a truncated log are named")
    func forgedAndTruncated() async throws {
        let forged = try await Self.seeded()
        try Tamperer(path: forged.logPath).execute("UPDATE tree_heads SET signature = zeroblob(64) WHERE tree_size = 20")
        #expect(try await Self.verify(forged).1.fault?.kind == .forgedTreeHead)
        #expect(try await Self.verify(forged).1.fault?.treeSize == 20)

        let truncated = try await Self.seeded()
        try Tamperer(path: truncated.logPath).execute("DELETE FROM events WHERE position > 26")
        let (events, tree) = try await Self.verify(truncated)
        #expect(events.fault == nil, "what is left is consistent in itself")
        #expect(tree.fault?.kind == .truncatedLog)
    }
}
