import Foundation
import GRDB
import PostgresNIO
import PraxisProtocol
import PraxisStore
import Testing

@Suite("Store conformance: Merkle tree and signed tree heads")
struct MerkleConformanceTests {
    static func leaves(_ events: [RecordedEvent]) -> [MerkleTree.Hash] {
        events.map { MerkleLeaf(position: $0.position.value, eventHash: $0.event.hash, serverTime: $0.serverTime).hash }
    }

    @Test(
        "every batch gets a signed head over the right root; proofs verify and stay valid as the log grows",
        arguments: StoreKind.allCases)
    func treeHeadsAndProofs(kind: StoreKind) async throws {
        let fixture = try await StoreFixture(kind)
        let store = try await fixture.open()
        for index in 0..<9 {
            _ = try await store.append(TestEvents.batch(index % 3 + 1, in: TestEvents.stream("community/\(index % 2)")))
        }
        let events = try await store.read(from: 1, limit: 100)
        let leaves = Self.leaves(events)
        let heads = try await store.signedTreeHeads(after: 0, limit: 100)
        #expect(heads.count == 9, "one signed head per batch")
        #expect(try await store.latestSignedTreeHead() == heads.last)
        for head in heads {
            #expect(head.isSigned(by: fixture.treeHeadKey.publicKey))
            #expect(head.head.rootHash == MerkleTree.root(of: leaves[..<Int(head.head.treeSize)]))
            #expect(try await store.merkleRoot(size: head.head.treeSize).root == head.head.rootHash)
        }
        // Proofs against an early head, made before and after the log grew, verify the same way.
        let early = heads[3].head
        let before = try await store.inclusionProof(position: 2, treeSize: early.treeSize)
        _ = try await store.append(TestEvents.batch(5, in: TestEvents.stream("community/late")))
        let after = try await store.inclusionProof(position: 2, treeSize: early.treeSize)
        #expect(before == after)
        #expect(
            MerkleTree.verifyInclusion(leafHash: leaves[1], index: 1, size: early.treeSize, proof: after, root: early.rootHash))
        let latest = try #require(try await store.latestSignedTreeHead()).head
        let consistency = try await store.consistencyProof(first: early.treeSize, second: latest.treeSize)
        #expect(
            MerkleTree.verifyConsistency(
                first: early.treeSize, second: latest.treeSize, firstRoot: early.rootHash, secondRoot: latest.rootHash,
                proof: consistency))
        for position in 1...latest.treeSize {
            let proof = try await store.inclusionProof(position: LogPosition(position), treeSize: latest.treeSize)
            let leaf = Self.leaves(try await store.read(from: LogPosition(position), limit: 1))[0]
            #expect(
                MerkleTree.verifyInclusion(
                    leafHash: leaf, index: position - 1, size: latest.treeSize, proof: proof, root: latest.rootHash))
        }
        // Out of range.
        await expectStoreError(.outOfRange) { () async throws(StoreError) in
            _ = try await store.inclusionProof(position: 99, treeSize: 10)
        }
        await expectStoreError(.outOfRange) { () async throws(StoreError) in
            _ = try await store.inclusionProof(position: 0, treeSize: 5)
        }
        await expectStoreError(.outOfRange) { () async throws(StoreError) in
            _ = try await store.consistencyProof(first: 5, second: 999)
        }
        await expectStoreError(.outOfRange) { () async throws(StoreError) in
            _ = try await store.consistencyProof(first: 0, second: 5)
        }
        #expect(try await store.merkleRoot(size: 0).root == MerkleTree.emptyRoot)
    }

    @Test("a log without a tree gets one when opened (the migration rebuilds it from the events)")
    func backfill() async throws {
        let fixture = try await StoreFixture(.sqlite)
        let store = try fixture.openSQLite()
        _ = try await store.append(TestEvents.batch(37, in: TestEvents.stream("community/b")))
        let root = try await store.merkleRoot(size: nil)
        try store.close()
        let queue = try DatabaseQueue(path: fixture.logPath)
        try await queue.write { db in
            try db.execute(sql: "DROP TABLE merkle_nodes; DROP TABLE tree_heads")
            try db.execute(sql: "DELETE FROM grdb_migrations WHERE identifier LIKE 'v2%' OR identifier LIKE 'v3%'")
        }
        try queue.close()
        let reopened = try fixture.openSQLite()
        #expect(try await reopened.merkleRoot(size: nil) == root)
        let events = try await reopened.read(from: 1, limit: 100)
        #expect(root.root == MerkleTree.root(of: Self.leaves(events)[...]))
    }

    @Test(
        "roots and proofs hold at every size, over signed and unsigned events in batches of any size",
        arguments: StoreKind.allCases)
    func everySize(kind: StoreKind) async throws {
        let fixture = try await StoreFixture(kind)
        let store = try await fixture.open()
        let device = DeviceSigningKey(.ed25519)
        var appended = 0
        for (batchIndex, size) in [1, 2, 13, 1, 40, 7, 16, 3, 33, 1, 64, 5].enumerated() {
            let stream = TestEvents.stream("community/\(batchIndex % 3)")
            let batch = TestEvents.batch(size, in: stream).map { event in
                appended += 1
                guard appended % 3 != 0 else { return event }
                let signature = EventSignature(signing: event.canonicalBytes, with: device, keyID: "device-1")
                return AuthoredEvent(event.envelope, signature: signature)
            }
            _ = try await store.append(batch)
        }
        let events = try await store.read(from: 1, limit: 1000)
        #expect(events.count == appended)
        #expect(events.filter { $0.event.signature != nil }.count == appended - appended / 3)
        let leaves = events.map(\.merkleLeaf.hash)
        let size = Int64(appended)
        for treeSize in 1...size {
            #expect(try await store.merkleRoot(size: treeSize).root == MerkleTree.root(of: leaves[..<Int(treeSize)]))
        }
        let root = MerkleTree.root(of: leaves[...])
        for position in 1...size {
            let proof = try await store.inclusionProof(position: LogPosition(position), treeSize: size)
            #expect(
                MerkleTree.verifyInclusion(
                    leafHash: leaves[Int(position) - 1], index: position - 1, size: size, proof: proof, root: root))
        }
        for first in stride(from: Int64(1), to: size, by: 5) {
            let proof = try await store.consistencyProof(first: first, second: size)
            #expect(
                MerkleTree.verifyConsistency(
                    first: first, second: size, firstRoot: MerkleTree.root(of: leaves[..<Int(first)]), secondRoot: root,
                    proof: proof))
        }
        // Both stores keep only subtrees of sixteen leaves or more; smaller ones are hashed from the events.
        let (lowest, count) = try await Self.storedNodes(fixture)
        #expect(lowest == 4)
        #expect(count == (4..<63).map { appended >> $0 }.reduce(0, +))
    }

    /// The lowest level and the number of rows in the log's `merkle_nodes` table.
    static func storedNodes(_ fixture: StoreFixture) async throws -> (lowest: Int?, count: Int) {
        switch fixture.kind {
        case .sqlite:
            let queue = try DatabaseQueue(path: fixture.logPath)
            defer { try? queue.close() }
            return try await queue.read { db in
                let row = try Row.fetchOne(db, sql: "SELECT MIN(level), COUNT(*) FROM merkle_nodes")
                return (row?[0] as Int?, row?[1] ?? 0)
            }
        case .postgres:
            return try await fixture.withPostgres { client in
                var result: (lowest: Int?, count: Int) = (nil, 0)
                for try await (lowest, count) in try await client.query(
                    "SELECT MIN(level), COUNT(*)::BIGINT FROM merkle_nodes"
                ).decode((Int32?, Int64).self) {
                    result = (lowest.map(Int.init), Int(count))
                }
                return result
            }
        }
    }
}
