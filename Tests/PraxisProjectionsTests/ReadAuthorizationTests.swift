import Foundation
import PraxisCommands
import PraxisDomain
import PraxisProjections
import PraxisProtocol
import PraxisStore
import Testing

/// Every member × every community of demo organisations (seeded random command sequences through
/// the real command path): what the reads answer must agree with the domain's own visibility
/// rule, and no read ever holds content the reader may not read.
@Suite("Read-time authorisation")
struct ReadAuthorizationTests {
    @Test(
        "reads agree with the domain on who may see what, for everyone and every community", arguments: [11, 12, 13] as [UInt64])
    func oracle(seed: UInt64) async throws {
        let fixture = try await ProjectionFixture(days: 21, members: 70, communities: 16, seed: seed)
        let (readModels, engine) = try fixture.engine()
        try await engine.prepare()
        try await engine.catchUp()
        let service = CommandService(store: fixture.store)
        let directory = Directory(store: fixture.store, service: service)
        let members = try await directory.members()
        let communities = try await directory.communities()
        #expect(communities.contains { $0.visibility == .secret }, "the demo has a secret community to test")
        #expect(members.contains { $0.isExternal } && communities.contains { $0.kind == .external }, "and guests")
        let queries = ReadModelQueries(readModels: readModels)
        let postsByCommunity = try await fixture.postsByCommunity
        var refusals: [String: Int] = [:]
        for member in members {
            for community in communities {
                let roster = await Self.outcome {
                    try await queries.roster(of: community.id, for: member.id, cursor: nil, limit: 100)
                }
                let feed = await Self.outcome {
                    try await queries.feed(
                        of: community.id, for: member.id, kind: nil, unanswered: false, cursor: nil, limit: 100)
                }
                if !member.isActive {
                    #expect(roster.code == "member_deactivated" && feed.code == "member_deactivated")
                    continue
                }
                let visible = community.isVisible(to: member)
                let readable =
                    community.members[member.id] != nil || (community.visibility == .open && !member.isExternal)
                #expect(roster.code == (visible ? nil : "not_found"), "\(member.displayName) / \(community.name)")
                #expect(
                    feed.code == (!visible ? "not_found" : readable ? nil : "not_member"),
                    "\(member.displayName) / \(community.name)")
                if let code = feed.code { refusals[code, default: 0] += 1 }
                let foreign = try feed.page?.itemValues().contains { item in
                    item["post"]?.stringValue.map { post in !(postsByCommunity[community.id.description] ?? []).contains(post) }
                        ?? true
                }
                #expect(foreign != true)
            }
        }
        #expect(refusals["not_found", default: 0] > 0 && refusals["not_member", default: 0] > 0, "\(refusals)")

        // Home feed, notifications and search hold only what the reader may read.
        let readable: (MemberState) -> Set<String> = { member in
            Set(
                communities.filter { $0.members[member.id] != nil || ($0.visibility == .open && !member.isExternal) }.map(
                    \.id.description))
        }
        var seen = (home: 0, notifications: 0, hits: 0)
        for member in members where member.isActive {
            let allowed = readable(member)
            let home = try await queries.homeFeed(for: member.id, now: Timestamp(Date()), cursor: nil, limit: 100)
            let notes = try await queries.notifications(for: member.id, unreadOnly: false, cursor: nil, limit: 100)
            let hits = try await queries.search("we", for: member.id, cursor: nil, limit: 100)
            for item in try home.itemValues() + notes.itemValues() + hits.itemValues() {
                if let community = item["community"]?.stringValue {
                    #expect(allowed.contains(community), "\(member.displayName) was shown \(item)")
                }
            }
            seen = (seen.home + home.items.count, seen.notifications + notes.items.count, seen.hits + hits.items.count)
        }
        #expect(seen.home > 0 && seen.notifications > 0 && seen.hits > 0, "\(seen)")
    }

    static func outcome(_ read: () async throws -> Page) async -> (code: String?, page: Page?) {
        do {
            return (nil, try await read())
        } catch let failure as QueryFailure {
            return (failure.code.description, nil)
        } catch {
            return ("unexpected: \(error)", nil)
        }
    }
}
