import Foundation
import PraxisProtocol
import PraxisStore
import PraxisSync
import Testing

@Suite("Sync index: one catch-up at a time, never behind a caller's own writes")
struct SyncIndexTests {
    @Test("each of many concurrent callers gets a view that includes what it appended before calling")
    func readsItsOwnWrites() async throws {
        let fixture = try ServerFixture()
        try await fixture.seed(120)
        let index = SyncIndex(store: fixture.store)
        try await withThrowingTaskGroup(of: (appended: Int64, seen: Int64).self) { group in
            for writer in 0..<40 {
                group.addTask {
                    let event = AuthoredEvent(
                        EventEnvelope(
                            id: UUID(), stream: StreamName("community/w\(writer)")!, type: EventTypeName("note_added")!,
                            payload: ["n": .number(Double(writer))]))
                    let appended = try await fixture.store.append([event]).events[0].position.value
                    return (appended, try await index.current().position.value)
                }
            }
            for try await (appended, seen) in group {
                #expect(seen >= appended, "a view must include the caller's own committed write")
            }
        }
        #expect(try await index.current().position == (try await fixture.store.head()))
    }
}
