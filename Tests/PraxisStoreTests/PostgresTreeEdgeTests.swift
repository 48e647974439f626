import PostgresNIO
import PraxisProtocol
import PraxisStore
import Testing

/// A PostgreSQL append reuses the Merkle tree's right edge it kept from its process's latest
/// append, before that append committed. These tests make the kept edge wrong (a failed commit)
/// or stale (another node appended since) and check every signed head against the events.
@Suite("PostgreSQL log: reusing the tree's edge between appends")
struct PostgresTreeEdgeTests {
    @Test("an append whose commit failed leaves no edge that a later append of another tree of that size builds on")
    func failedCommitThenAnotherNode() async throws {
        let fixture = try await StoreFixture(.postgres)
        let node = try await fixture.open()
        let otherNode = try await fixture.open()
        _ = try await node.append(TestEvents.batch(5, in: TestEvents.stream("community/a")))
        // A deferred constraint trigger fails the commit of any event in `community/doomed`, after
        // the append's statements ran and its edge was kept.
        try await fixture.withPostgres { client in
            _ = try await client.query(
                """
                CREATE FUNCTION fail_at_commit() RETURNS trigger LANGUAGE plpgsql AS
                $$ BEGIN RAISE EXCEPTION 'refused at commit'; END $$
                """)
            _ = try await client.query(
                """
                CREATE CONSTRAINT TRIGGER fail_at_commit AFTER INSERT ON events DEFERRABLE INITIALLY DEFERRED
                FOR EACH ROW WHEN (NEW.stream = 'community/doomed') EXECUTE FUNCTION fail_at_commit()
                """)
        }
        await #expect(throws: StoreError.self) {
            try await node.append(TestEvents.batch(3, in: TestEvents.stream("community/doomed")))
        }
        #expect(try await node.head() == 5)
        // Another node appends three other events: a tree of the same size as the one that failed.
        _ = try await otherNode.append(TestEvents.batch(3, in: TestEvents.stream("community/b")))
        _ = try await node.append(TestEvents.batch(2, in: TestEvents.stream("community/a")))
        _ = try await node.append(TestEvents.batch(20, in: TestEvents.stream("community/a")))

        let leaves = try await node.read(from: 1, limit: 100).map(\.merkleLeaf.hash)
        #expect(leaves.count == 30)
        let heads = try await node.signedTreeHeads(after: 0, limit: 100)
        #expect(heads.map(\.head.treeSize) == [5, 8, 10, 30])
        for head in heads {
            #expect(head.head.rootHash == MerkleTree.root(of: leaves[..<Int(head.head.treeSize)]))
            #expect(try await node.merkleRoot(size: head.head.treeSize).root == head.head.rootHash)
        }
    }

    @Test("appends from two nodes in turn each build on the other's tree")
    func nodesInTurn() async throws {
        let fixture = try await StoreFixture(.postgres)
        let nodes = [try await fixture.open(), try await fixture.open()]
        var sizes: [Int64] = []
        for round in 0..<12 {
            let result = try await nodes[round % 2].append(
                TestEvents.batch(1 + round * 3, in: TestEvents.stream("community/\(round % 3)")))
            sizes.append(result.events.last?.position.value ?? 0)
        }
        let leaves = try await nodes[0].read(from: 1, limit: 1000).map(\.merkleLeaf.hash)
        let heads = try await nodes[1].signedTreeHeads(after: 0, limit: 100)
        #expect(heads.map(\.head.treeSize) == sizes)
        for head in heads {
            #expect(head.head.rootHash == MerkleTree.root(of: leaves[..<Int(head.head.treeSize)]))
        }
    }
}
