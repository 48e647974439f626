import Foundation
import PraxisProtocol
import PraxisStore
import Testing

@Suite("Store conformance: append")
struct AppendConformanceTests {
    @Test("an append gets gap-free positions, per-stream versions and the server's time", arguments: StoreKind.allCases)
    func appendAndReadBack(kind: StoreKind) async throws {
        let fixture = try await StoreFixture(kind)
        let store = try await fixture.open()
        let a = TestEvents.stream("community/a")
        let b = TestEvents.stream("community/b")
        let first = try await store.append([TestEvents.make(a), TestEvents.make(b), TestEvents.make(a)])
        let second = try await store.append([TestEvents.make(b)])
        #expect(first.events.map(\.position) == [1, 2, 3])
        #expect(first.events.map(\.streamVersion) == [1, 1, 2])
        #expect(second.events.map(\.position) == [4])
        #expect(second.events.map(\.streamVersion) == [2])
        #expect(!first.wasAlreadyAppended)
        #expect(Set(first.events.map(\.serverTime)).count == 1, "one server time per batch")
        #expect(first.events[0].serverTime < second.events[0].serverTime)
        let all = try await store.read(from: 1, limit: 100)
        #expect(all == first.events + second.events)
        #expect(try await store.head() == 4)
        #expect(try await store.version(of: a) == 2)
        #expect(try await store.version(of: TestEvents.stream("community/none")) == 0)
    }

    @Test("a batch is atomic: one bad event and nothing is written", arguments: StoreKind.allCases)
    func atomicBatch(kind: StoreKind) async throws {
        let fixture = try await StoreFixture(kind)
        let store = try await fixture.open(limits: AppendLimits(maximumEvents: 10, maximumEventBytes: 600))
        let stream = TestEvents.stream("community/atomic")
        let existing = try await store.append([TestEvents.make(stream)]).events[0]
        let reusedID = TestEvents.make(stream, payload: ["text": "other"], id: existing.id)
        let oversized = TestEvents.make(stream, payload: ["text": .string(String(repeating: "x", count: 700))])
        let failing: [(String, [AuthoredEvent], [StreamName: ExpectedVersion], StoreError.Code)] = [
            ("id reused last", [TestEvents.make(stream), TestEvents.make(stream), reusedID], [:], .idConflict),
            ("stale expectation", TestEvents.batch(3, in: stream), [stream: .exact(0)], .wrongExpectedVersion),
            ("oversized event last", [TestEvents.make(stream), oversized], [:], .invalidBatch),
            ("too many events", TestEvents.batch(11, in: stream), [:], .invalidBatch),
            ("empty batch", [], [:], .invalidBatch),
        ]
        for (name, batch, conditions, code) in failing {
            await expectStoreError(code, "\(name)") { () async throws(StoreError) in
                _ = try await store.append(batch, conditions: conditions)
            }
        }
        #expect(try await store.head() == 1)
        #expect(try await store.read(from: 1, limit: 100) == [existing])
    }

    @Test("an id twice within one batch is refused", arguments: StoreKind.allCases)
    func duplicateIDInBatch(kind: StoreKind) async throws {
        let fixture = try await StoreFixture(kind)
        let store = try await fixture.open()
        let stream = TestEvents.stream("community/dup")
        let event = TestEvents.make(stream)
        await expectStoreError(.invalidBatch) { () async throws(StoreError) in _ = try await store.append([event, event]) }
        #expect(try await store.head() == 0)
    }

    @Test(
        "expected versions are checked before writing",
        arguments: StoreKind.allCases.flatMap { kind in
            [
                (kind, ExpectedVersion.any, true), (kind, .noStream, false), (kind, .exact(2), true),
                (kind, .exact(1), false), (kind, .exact(3), false),
            ]
        })
    func expectedVersion(kind: StoreKind, expected: ExpectedVersion, succeeds: Bool) async throws {
        let fixture = try await StoreFixture(kind)
        let store = try await fixture.open()
        let stream = TestEvents.stream("community/versioned")
        _ = try await store.append(TestEvents.batch(2, in: stream), conditions: [stream: .noStream])
        do {
            let result = try await store.append([TestEvents.make(stream)], conditions: [stream: expected])
            #expect(succeeds)
            #expect(result.events[0].streamVersion == 3)
        } catch {
            #expect(!succeeds)
            #expect(error.code == .wrongExpectedVersion)
            #expect(error.stream == stream)
            #expect(error.actualVersion == 2)
        }
    }

    @Test("a condition may name a stream the batch does not write", arguments: StoreKind.allCases)
    func conditionOnOtherStream(kind: StoreKind) async throws {
        let fixture = try await StoreFixture(kind)
        let store = try await fixture.open()
        let community = TestEvents.stream("community/c")
        let member = TestEvents.stream("member/m")
        await expectStoreError(.wrongExpectedVersion) { () async throws(StoreError) in
            _ = try await store.append([TestEvents.make(member)], conditions: [community: .exact(1)])
        }
        _ = try await store.append([TestEvents.make(community)])
        let result = try await store.append([TestEvents.make(member)], conditions: [community: .exact(1)])
        #expect(result.events[0].position == 2)
    }

    @Test("re-appending identical events returns the first answer and writes nothing", arguments: StoreKind.allCases)
    func idempotentReplay(kind: StoreKind) async throws {
        let fixture = try await StoreFixture(kind)
        let stream = TestEvents.stream("community/idem")
        let batch = TestEvents.batch(3, in: stream)
        let first: AppendResult
        do {
            let store = try await fixture.open()
            first = try await store.append(batch, conditions: [stream: .noStream])
            _ = try await store.append([TestEvents.make(stream)])
        }
        // Durable: a new connection (as after a restart) still knows the batch.
        let store = try await fixture.open()
        let replay = try await store.append(batch, conditions: [stream: .noStream])
        #expect(replay.wasAlreadyAppended)
        #expect(replay.events == first.events)
        #expect(try await store.head() == 4)
    }

    @Test("re-using an id for other content is an id conflict", arguments: StoreKind.allCases)
    func idConflict(kind: StoreKind) async throws {
        let fixture = try await StoreFixture(kind)
        let store = try await fixture.open()
        let stream = TestEvents.stream("community/conflict")
        let original = TestEvents.make(stream, payload: ["text": "original"])
        _ = try await store.append([original])
        let impostor = TestEvents.make(stream, payload: ["text": "changed"], id: original.envelope.id)
        do {
            _ = try await store.append([impostor])
            Issue.record("the impostor was accepted")
        } catch {
            #expect(error.code == .idConflict)
            #expect(error.eventID == original.envelope.id)
        }
        #expect(try await store.head() == 1)
    }

    @Test("a batch that overlaps a committed one only in part is refused", arguments: StoreKind.allCases)
    func partialDuplicate(kind: StoreKind) async throws {
        let fixture = try await StoreFixture(kind)
        let store = try await fixture.open()
        let stream = TestEvents.stream("community/partial")
        let committed = TestEvents.batch(2, in: stream)
        _ = try await store.append(committed)
        await expectStoreError(.partialDuplicate) { () async throws(StoreError) in
            _ = try await store.append([committed[1], TestEvents.make(stream)])
        }
        #expect(try await store.head() == 2)
    }
}
