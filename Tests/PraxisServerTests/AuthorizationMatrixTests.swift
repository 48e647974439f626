import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import PraxisProjections
import PraxisProtocol
import PraxisServer
import PraxisStore
import Testing

/// Every community read endpoint (a post's thread included) and the sync pull, for every kind of caller, against every
/// visibility: the answers are the documented codes, and nothing of a community leaks to a caller
/// who may not read it — not through the community's own endpoints, search, the home feed or sync.
@Suite("Authorization matrix")
struct AuthorizationMatrixTests {
    enum Caller: String, CaseIterable {
        case owner, moderator, member, nonMember, guest, deactivated, noCredentials
    }

    /// The documented answer for `caller` on a community endpoint of `visibility`: secret
    /// communities do not exist for outsiders (`404`), content is for members (`403 not_member`;
    /// internal members also read open communities), guests only ever see external communities
    /// they belong to, deactivated members are refused everything.
    static func expected(_ caller: Caller, _ visibility: String, content: Bool) -> (HTTPResponse.Status, String?) {
        switch caller {
        case .owner, .moderator, .member: return (.ok, nil)
        case .noCredentials: return (.unauthorized, "unauthorized")
        case .deactivated: return (.forbidden, "member_deactivated")
        case .guest: return (.notFound, "not_found")
        case .nonMember:
            if visibility == "secret" { return (.notFound, "not_found") }
            if content && visibility == "closed" { return (.forbidden, "not_member") }
            return (.ok, nil)
        }
    }

    /// Whether `caller` may read the content of a community of `visibility`.
    static func reads(_ caller: Caller, _ visibility: String) -> Bool {
        expected(caller, visibility, content: true).0 == .ok
    }

    @Test("answers match the documented codes and nothing leaks, for every caller and visibility")
    func matrix() async throws {
        let fixture = try ServerFixture(maximumBodyBytes: 1 << 20)
        let engine = Task {
            try await fixture.backend.engine.prepare(); try await fixture.backend.engine.run()
        }
        defer { engine.cancel() }
        try await fixture.application.test(.live) { client in
            let api = CommandRouteTests.Client(client: client)
            let world = try await World(api: api)
            let key = fixture.treeHeadKey.publicKey
            var devices: [Caller: TestDevice] = [:]
            for caller in [Caller.owner, .member, .nonMember, .guest] {
                devices[caller] = try await TestDevice.enroll(
                    .ed25519, member: world.ids[caller]!, client: client, serverKey: key)
            }
            var revoked = try await TestDevice.enroll(.ed25519, member: world.ids[.member]!, client: client, serverKey: key)
            let revocation = try await api.send(
                .post, "/v1/operator/devices/\(revoked.id)/revoke", token: ServerFixture.operatorToken, [:])
            #expect(revocation.status == .ok, "\(String(buffer: revocation.body))")
            let deactivated = try await api.send(
                .post, "/v1/operator/members/\(world.ids[.deactivated]!)/deactivate", token: ServerFixture.operatorToken, [:])
            #expect(deactivated.status == .ok)
            let position = try await fixture.store.head().value

            var checked = 0
            for (visibility, community) in world.communities {
                let post = try #require(world.posts[visibility])
                let endpoints: [(path: String, content: Bool)] = [
                    ("/v1/communities/\(community)", false), ("/v1/communities/\(community)/members", false),
                    ("/v1/communities/\(community)/posts", true), ("/v1/posts/\(post)", true),
                    ("/v1/communities/\(community)/learning-events", true),
                    ("/v1/communities/\(community)/mentoring", true), ("/v1/communities/\(community)/insights", true),
                ]
                for caller in Caller.allCases {
                    for endpoint in endpoints {
                        let answer = try await api.send(
                            .get, "\(endpoint.path)?min_position=\(position)", token: world.tokens[caller])
                        let (status, code) = Self.expected(caller, visibility, content: endpoint.content)
                        #expect(
                            answer.status == status, "\(caller) on \(visibility) \(endpoint.path): \(String(buffer: answer.body))"
                        )
                        if let code { #expect(answer.errorCode == code, "\(caller) on \(visibility) \(endpoint.path)") }
                        if answer.status != .ok {
                            #expect(!String(buffer: answer.body).contains(World.marker(visibility)), "a refusal names no content")
                        }
                        checked += 1
                    }
                }
            }
            #expect(checked == 3 * Caller.allCases.count * 7)

            // The list of communities holds exactly those a caller may see.
            for caller in Caller.allCases {
                let list = try await api.send(
                    .get, "/v1/communities?limit=100&min_position=\(position)", token: world.tokens[caller])
                // The list itself answers everyone signed in and active; a guest's is empty here.
                let (status, code) = caller == .guest ? (.ok, nil) : Self.expected(caller, "open", content: false)
                #expect(list.status == status, "\(caller) listing communities")
                if let code { #expect(list.errorCode == code) }
                guard list.status == .ok else { continue }
                let listed = Set(try list.json["items"]?.arrayValue?.compactMap { $0["community"]?.stringValue } ?? [])
                let visible = Set(
                    world.communities.filter { Self.expected(caller, $0.0, content: false).0 == .ok }.map(\.1))
                #expect(listed == visible, "\(caller) lists the communities it may see")
            }

            // Search and the home feed: a caller finds the marker of exactly the communities it reads.
            for caller in [Caller.owner, .moderator, .member, .nonMember, .guest] {
                let feed = try await api.send(.get, "/v1/me/feed?limit=100&min_position=\(position)", token: world.tokens[caller])
                #expect(feed.status == .ok)
                for visibility in World.visibilities {
                    let search = try await api.send(
                        .get, "/v1/search?q=\(World.marker(visibility))&min_position=\(position)", token: world.tokens[caller])
                    #expect(search.status == .ok, "\(caller): \(String(buffer: search.body))")
                    let found = String(buffer: search.body).contains(World.marker(visibility))
                    #expect(found == Self.reads(caller, visibility), "\(caller) searching \(visibility)")
                    if !Self.reads(caller, visibility) {
                        #expect(!String(buffer: feed.body).contains(World.marker(visibility)), "\(caller)'s feed, \(visibility)")
                    }
                }
            }
            for caller in [Caller.deactivated, .noCredentials] {
                let search = try await api.send(.get, "/v1/search?q=markeropen", token: world.tokens[caller])
                #expect(search.status == Self.expected(caller, "open", content: true).0)
                #expect(!String(buffer: search.body).contains("markeropen"))
            }

            // Sync: a device pulls the events of exactly the communities its member reads.
            for (caller, device) in devices {
                var device = device
                try await device.pullAll(client)
                for (visibility, community) in world.communities {
                    let holds = device.posts.values.contains { $0.community == community }
                    #expect(holds == Self.reads(caller, visibility), "\(caller)'s device and the \(visibility) community")
                }
            }
            let refusedRevoked = try await revoked.send(client, .get, "/v1/sync/pull")
            #expect(refusedRevoked.status == .unauthorized)
            #expect(refusedRevoked.errorCode == "device_revoked")
            // Another member's device id, signed with one's own key: refused.
            var impostor = devices[.nonMember]!
            impostor = TestDevice(id: devices[.member]!.id, member: impostor.member, key: impostor.key, serverKey: key)
            let refusedImpostor = try await impostor.send(client, .get, "/v1/sync/pull")
            #expect(refusedImpostor.status == .unauthorized)
            #expect(refusedImpostor.errorCode == "bad_signature")
            // Unsigned: refused.
            let unsigned = try await client.execute(uri: "/v1/sync/pull", method: .get)
            #expect(unsigned.status == .unauthorized)
        }
    }

    /// Olga owns an open, a closed and a secret community, each with a post whose title carries a
    /// marker; Mo moderates all three, Mia and Dee are members, Nina is in none, Gus is a guest
    /// from a partner, in none.
    struct World {
        static let visibilities = ["open", "closed", "secret"]
        static func marker(_ visibility: String) -> String { "marker\(visibility)" }

        var ids: [Caller: String] = [:]
        var tokens: [Caller: String] = [:]
        var communities: [(String, String)] = []
        /// The marker post of each community, by visibility.
        var posts: [String: String] = [:]

        init(api: CommandRouteTests.Client) async throws {
            let people: [(Caller, String, String?)] = [
                (.owner, "Olga", nil), (.moderator, "Mo", nil), (.member, "Mia", nil), (.nonMember, "Nina", nil),
                (.guest, "Gus", "Partner Ltd"), (.deactivated, "Dee", nil),
            ]
            for (caller, name, external) in people {
                let (id, token) = try await api.member(name, external: external)
                ids[caller] = id
                tokens[caller] = token
            }
            let owner = tokens[.owner]!
            for visibility in Self.visibilities {
                let created = try await api.send(
                    .post, "/v1/communities", token: owner,
                    ["name": .string("The \(visibility) one"), "kind": "practice", "visibility": .string(visibility)])
                let community = try #require(try created.json["ids"]?["community"]?.stringValue)
                for caller in [Caller.moderator, .member, .deactivated] {
                    let invited = try await api.send(
                        .post, "/v1/communities/\(community)/invitations", token: owner, ["member": .string(ids[caller]!)])
                    #expect(invited.status == .ok, "\(String(buffer: invited.body))")
                    let accepted = try await api.send(
                        .post, "/v1/communities/\(community)/invitation/accept", token: tokens[caller])
                    #expect(accepted.status == .ok, "\(String(buffer: accepted.body))")
                }
                let promoted = try await api.send(
                    .put, "/v1/communities/\(community)/members/\(ids[.moderator]!)/role", token: owner, ["role": "moderator"])
                #expect(promoted.status == .ok, "\(String(buffer: promoted.body))")
                let posted = try await api.send(
                    .post, "/v1/communities/\(community)/posts", token: owner,
                    ["kind": "discussion", "title": .string("Notes \(Self.marker(visibility))"), "body": "inside"])
                #expect(posted.status == .created || posted.status == .ok, "\(String(buffer: posted.body))")
                posts[visibility] = try #require(try posted.json["ids"]?["post"]?.stringValue)
                communities.append((visibility, community))
            }
        }
    }
}
