import Foundation
import PraxisCommands
import PraxisDemo
import PraxisDomain
import PraxisProtocol
import PraxisStore
import Testing

@Suite("Demo organisation")
struct DemoTests {
    static func build(seed: UInt64, in folder: URL) async throws -> (SQLiteEventStore, DemoReport) {
        let settings = DemoSettings(members: 80, communities: 8, days: 21, seed: seed)
        let clock = DemoClock(start: settings.start)
        let store = try SQLiteEventStore(path: folder.appendingPathComponent("log.sqlite").path, clock: { clock.now })
        let report = try await DemoOrganisation(store: store, clock: clock, settings: settings).build()
        return (store, report)
    }

    @Test("the same seed builds the same log, byte for byte; another seed does not")
    func deterministic() async throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("praxis-demo-\(UUID().wireString)")
        defer { try? FileManager.default.removeItem(at: root) }
        var hashes: [[EventHash]] = []
        for (index, seed) in [7, 7, 8].enumerated() {
            let (store, report) = try await Self.build(seed: UInt64(seed), in: root.appendingPathComponent("\(index)"))
            #expect(report.accepted > 300)
            #expect(report.refused * 20 < report.accepted, "the demo mostly does what the rules allow")
            hashes.append(try await store.read(from: 1, limit: 10_000).map(\.event.hash))
        }
        #expect(hashes[0] == hashes[1])
        #expect(hashes[0] != hashes[2])
    }

    @Test("the demo uses the whole domain and keeps its invariants")
    func coverage() async throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("praxis-demo-\(UUID().wireString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let (store, report) = try await Self.build(seed: 3, in: root)
        let statistics = try await store.statistics()
        #expect(statistics.countsByType.count >= 25, "\(statistics.countsByType.keys.map(\.rawValue).sorted())")
        #expect(report.sampleMember != nil && report.sampleCommunity != nil)
        let service = CommandService(store: store)
        let directory = Directory(store: store, service: service)
        let members = try await directory.members()
        let communities = try await directory.communities()
        #expect(members.count == 80)
        #expect(communities.count == 8)
        for community in communities {
            #expect(!community.owners.isEmpty)
            for member in community.members.keys {
                let isExternal = members.first { $0.id == member }?.isExternal == true
                #expect(!isExternal || community.kind == .external)
            }
        }
        // The log verifies, and every origin of membership occurs.
        #expect(try await LogVerifier(store: store).verify().fault == nil)
        let origins = Set(communities.flatMap { $0.members.values.map(\.origin) })
        #expect(origins == Set(MembershipOrigin.allCases))
    }
}
