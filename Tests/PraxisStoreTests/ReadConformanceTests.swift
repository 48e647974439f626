import Foundation
import PraxisProtocol
import PraxisStore
import Testing

@Suite("Store conformance: reads")
struct ReadConformanceTests {
    @Test("paging through the log visits every event once, in order", arguments: StoreKind.allCases)
    func paging(kind: StoreKind) async throws {
        let fixture = try await StoreFixture(kind)
        let store = try await fixture.open()
        for index in 0..<25 {
            _ = try await store.append(TestEvents.batch(10, in: TestEvents.stream("community/\(index % 4)")))
        }
        var seen: [LogPosition] = []
        var next = LogPosition(1)
        while true {
            let page = try await store.read(from: next, limit: 37)
            guard let last = page.last else { break }
            #expect(page.count <= 37)
            seen += page.map(\.position)
            next = last.position.next
        }
        #expect(seen == (1...250).map { LogPosition($0) })
        #expect(try await store.read(from: 251, limit: 10).isEmpty)
        #expect(try await store.read(from: 0, limit: 1).map(\.position) == [1])
        #expect(try await store.read(from: 1, limit: 0).count == 1, "a limit below 1 reads one event")
    }

    @Test(
        "events read by position come in log order, once each, without the positions the log lacks",
        arguments: StoreKind.allCases)
    func readByPosition(kind: StoreKind) async throws {
        let fixture = try await StoreFixture(kind)
        let store = try await fixture.open()
        _ = try await store.append(TestEvents.batch(40, in: TestEvents.stream("community/1")))
        let all = try await store.read(from: 1, limit: 100)
        let asked: [LogPosition] = [33, 2, 17, 2, 40, 41, 0, 1]
        let read = try await store.storedEvents(positions: asked).map { try $0.decode() }
        #expect(read.map(\.position) == [1, 2, 17, 33, 40])
        #expect(read == [1, 2, 17, 33, 40].map { all[$0 - 1] })
        #expect(try await store.storedEvents(positions: []).isEmpty)
        #expect(try await store.storedEvents(positions: [41, 99]).isEmpty)
        for _ in 0..<3 { _ = try await store.append(TestEvents.batch(70, in: TestEvents.stream("community/2"))) }
        let many = try await store.storedEvents(positions: (1...260).reversed().map { LogPosition($0) })
        #expect(many.map(\.position) == Array(1...250), "more positions than one statement takes, in log order")
    }

    @Test("a stream reads forward and backward from any version", arguments: StoreKind.allCases)
    func streamReads(kind: StoreKind) async throws {
        let fixture = try await StoreFixture(kind)
        let store = try await fixture.open()
        let a = TestEvents.stream("post/a")
        let b = TestEvents.stream("post/b")
        for _ in 0..<5 { _ = try await store.append([TestEvents.make(a), TestEvents.make(b)]) }
        let forward = try await store.readStream(a, direction: .forward, from: nil, limit: 100)
        #expect(forward.map(\.streamVersion) == [1, 2, 3, 4, 5])
        #expect(forward.allSatisfy { $0.stream == a })
        #expect(try await store.readStream(a, direction: .forward, from: 4, limit: 100).map(\.streamVersion) == [4, 5])
        #expect(try await store.readStream(a, direction: .backward, from: nil, limit: 2).map(\.streamVersion) == [5, 4])
        #expect(try await store.readStream(a, direction: .backward, from: 2, limit: 100).map(\.streamVersion) == [2, 1])
        #expect(try await store.readStream(TestEvents.stream("post/none"), direction: .forward, from: nil, limit: 9).isEmpty)
    }

    @Test("streams are listed by category, in pages", arguments: StoreKind.allCases)
    func streamsByCategory(kind: StoreKind) async throws {
        let fixture = try await StoreFixture(kind)
        let store = try await fixture.open()
        for name in ["member/b", "member/a", "members/x", "member/c", "memberz/y", "community/a", "member/a"] {
            _ = try await store.append([TestEvents.make(TestEvents.stream(name))])
        }
        #expect(try await store.allStreams(inCategory: "member").map(\.rawValue) == ["member/a", "member/b", "member/c"])
        let first = try await store.streams(inCategory: "member", after: nil, limit: 2)
        #expect(first.map(\.rawValue) == ["member/a", "member/b"])
        #expect(try await store.streams(inCategory: "member", after: first.last, limit: 2).map(\.rawValue) == ["member/c"])
        #expect(try await store.allStreams(inCategory: "post").isEmpty)
    }

    @Test("statistics count events per type", arguments: StoreKind.allCases)
    func statistics(kind: StoreKind) async throws {
        let fixture = try await StoreFixture(kind)
        let store = try await fixture.open()
        #expect(try await store.statistics() == LogStatistics(eventCount: 0, head: 0, countsByType: [:]))
        let stream = TestEvents.stream("community/s")
        _ = try await store.append(TestEvents.batch(3, in: stream, type: "post_created"))
        _ = try await store.append(TestEvents.batch(2, in: stream, type: "member_joined"))
        let statistics = try await store.statistics()
        #expect(statistics.eventCount == 5)
        #expect(statistics.head == 5)
        #expect(statistics.countsByType == [EventTypeName("post_created")!: 3, EventTypeName("member_joined")!: 2])
    }

    @Test("reopening the log keeps every event, byte for byte", arguments: StoreKind.allCases)
    func reopen(kind: StoreKind) async throws {
        let fixture = try await StoreFixture(kind)
        var written: [RecordedEvent] = []
        do {
            let store = try await fixture.open()
            for index in 0..<20 {
                written += try await store.append(TestEvents.batch(5, in: TestEvents.stream("member/\(index)"))).events
            }
        }
        let reopened = try await fixture.open()
        let read = try await reopened.read(from: 1, limit: 1000)
        #expect(read == written)
        #expect(read.map(\.event.canonicalBytes) == written.map(\.event.canonicalBytes))
        let next = try await reopened.append([TestEvents.make(TestEvents.stream("member/0"))])
        #expect(next.events[0].position == 101)
        #expect(next.events[0].streamVersion == 6)
    }
}

@Suite("Store conformance: subscriptions")
struct SubscriptionConformanceTests {
    @Test(
        "a subscription catches up, then follows concurrent appends with no gap and no duplicate", arguments: StoreKind.allCases)
    func catchUpThenLive(kind: StoreKind) async throws {
        let fixture = try await StoreFixture(kind)
        let store = try await fixture.open()
        for index in 0..<30 { _ = try await store.append(TestEvents.batch(4, in: TestEvents.stream("history/\(index)"))) }
        let writers = 4
        let batchesPerWriter = 40
        let total = 120 + writers * batchesPerWriter * 3
        let positions = try await withThrowingTaskGroup(of: [LogPosition].self) { group in
            group.addTask { try await Self.positions(of: store, from: 1, pageSize: 50, count: total) }
            for writer in 0..<writers {
                group.addTask {
                    for batch in 0..<batchesPerWriter {
                        let stream = TestEvents.stream("live/\(writer)-\(batch % 3)")
                        _ = try await store.append(TestEvents.batch(3, in: stream))
                        if batch % 7 == 0 { try await Task.sleep(for: .milliseconds(2)) }
                    }
                    return []
                }
            }
            var collected: [LogPosition] = []
            for try await result in group where !result.isEmpty { collected = result }
            return collected
        }
        #expect(positions == (1...Int64(total)).map { LogPosition($0) })
    }

    @Test("a subscription may start in the middle and ends when its task is cancelled", arguments: StoreKind.allCases)
    func startInMiddleAndCancel(kind: StoreKind) async throws {
        let fixture = try await StoreFixture(kind)
        let store = try await fixture.open()
        _ = try await store.append(TestEvents.batch(10, in: TestEvents.stream("community/m")))
        let reader = Task { try await Self.positions(of: store, from: 8, pageSize: 512, count: .max) }
        while try await store.head() < 10 { try await Task.sleep(for: .milliseconds(5)) }
        try await Task.sleep(for: .milliseconds(50))
        reader.cancel()
        #expect(try await reader.value == [8, 9, 10])
    }

    @Test("a waiting subscriber wakes up for an append made through another connection", arguments: StoreKind.allCases)
    func appendFromAnotherConnection(kind: StoreKind) async throws {
        let fixture = try await StoreFixture(kind)
        let store = try await fixture.open()
        let other = try await fixture.open()
        let reader = Task { try await Self.positions(of: store, from: 1, pageSize: 512, count: 1) }
        try await Task.sleep(for: .milliseconds(20))
        _ = try await other.append([TestEvents.make(TestEvents.stream("community/x"))])
        #expect(try await reader.value == [1])
    }

    /// The positions a subscription delivers, until `count` of them or until the task is cancelled.
    static func positions<Store: EventStore>(of store: Store, from start: LogPosition, pageSize: Int, count: Int)
        async throws -> [LogPosition]
    {
        var seen: [LogPosition] = []
        for try await event in store.subscribe(from: start, pageSize: pageSize) {
            seen.append(event.position)
            if seen.count == count { break }
        }
        return seen
    }
}
