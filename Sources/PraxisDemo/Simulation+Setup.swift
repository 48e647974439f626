import Crypto
import Foundation
import PraxisCommands
import PraxisDomain
import PraxisProtocol
import PraxisStore

extension Simulation {
    /// Day 0: the people who are already there, the communities, who is in which, the mentors.
    func setUp() async throws(DemoOrganisation<Store>.Failure) {
        let residents = max(2, settings.members * 85 / 100)
        for index in 0..<settings.members {
            let arrival = index < residents ? 0 : random.int(1...max(1, settings.days - 1))
            world.people.append(makePerson(index, arrivalDay: arrival))
        }
        for index in world.people.indices where world.people[index].arrivalDay == 0 { try await register(index) }
        for index in 0..<settings.communities { try await createCommunity(index) }
        for person in world.people.indices where world.people[person].arrivalDay == 0 {
            try await joinSome(person, count: random.int(1...4))
        }
        for group in world.groups.indices { try await populate(group) }
        for person in world.people.indices where world.people[person].arrivalDay == 0 && !world.people[person].isExternal {
            let level = world.people[person].leadership
            if random.chance(level == .contributor ? 0.05 : 0.3) {
                let capacity = random.int(2...4)
                let topics = [DemoWorld.topics.pick(&random)!, DemoWorld.topics.pick(&random)!]
                if try await act(OfferMentoring(topics: topics, capacity: capacity), by: person) {
                    world.mentors[person] = capacity
                }
            }
        }
    }

    func makePerson(_ index: Int, arrivalDay: Int) -> DemoWorld.Person {
        let external = random.chance(0.04) && index > 10
        let roll = random.int(0...99)
        let leadership: LeadershipLevel =
            external ? .contributor : roll < 1 ? .executive : roll < 5 ? .senior : roll < 15 ? .manager : .contributor
        let first = DemoWorld.firstNames[index % DemoWorld.firstNames.count]
        let last = DemoWorld.lastNames[(index / DemoWorld.firstNames.count + index) % DemoWorld.lastNames.count]
        return DemoWorld.Person(
            id: MemberID(newID()), name: "\(first) \(last)", region: DemoWorld.regions.pick(&random)!,
            department: external ? "Partner" : DemoWorld.departments.pick(&random)!, leadership: leadership,
            organization: external ? DemoWorld.partners.pick(&random)! : nil, arrivalDay: arrivalDay)
    }

    func register(_ index: Int) async throws(DemoOrganisation<Store>.Failure) {
        let person = world.people[index]
        let email = person.name.lowercased().replacingOccurrences(of: " ", with: ".") + ".\(index)@example.com"
        try await act(
            RegisterMember(
                member: person.id, displayName: person.name, email: email, region: person.region,
                department: person.department, title: person.leadership == .contributor ? "Specialist" : "Lead",
                leadership: person.leadership, external: person.isExternal, organization: person.organization),
            by: nil)
        if !person.isExternal && random.chance(0.25) {
            let key = Curve25519.Signing.PrivateKey(seed: &random).publicKey.rawRepresentation
            try await act(
                EnrollDevice(device: DeviceID(newID()), algorithm: .ed25519, publicKey: Base64URL.encode(key), name: "Phone"),
                by: index)
        }
    }

    func createCommunity(_ index: Int) async throws(DemoOrganisation<Store>.Failure) {
        let roll = random.int(0...99)
        let kind: CommunityKind = roll < 25 ? .learning : roll < 40 ? .external : .practice
        let visibility: CommunityVisibility
        switch kind {
        case .practice: visibility = random.chance(0.65) ? .open : random.chance(0.7) ? .closed : .secret
        case .learning: visibility = random.chance(0.5) ? .open : .closed
        case .external: visibility = random.chance(0.6) ? .closed : .secret
        }
        let internals = world.people.indices.filter {
            world.people[$0].arrivalDay == 0 && !world.people[$0].isExternal
                && (kind != .learning || world.people[$0].department == "People & Learning" || random.chance(0.05))
        }
        guard let owner = internals.pick(&random) ?? world.people.indices.first(where: { !world.people[$0].isExternal }) else {
            return
        }
        let topic = DemoWorld.topics[index % DemoWorld.topics.count]
        let name: String
        switch kind {
        case .practice: name = "\(topic.capitalized) practice \(index)"
        case .learning: name = "Learning path: \(topic) \(index)"
        case .external: name = "\(DemoWorld.partners[index % DemoWorld.partners.count]) project \(index)"
        }
        let id = CommunityID(newID())
        let created = try await act(
            CreateCommunity(
                community: id, name: name, description: "A \(kind.rawValue) community about \(topic).", kind: kind,
                visibility: visibility, tags: [topic]), by: owner)
        guard created else { return }
        world.groups.append(
            DemoWorld.Group(id: id, name: name, kind: kind, visibility: visibility, owner: owner, members: [owner]))
        world.people[owner].communities.append(world.groups.count - 1)
    }

    /// A person joins `count` communities they may enter, by the way each community admits people.
    func joinSome(_ person: Int, count: Int) async throws(DemoOrganisation<Store>.Failure) {
        guard !world.people[person].isExternal else { return }
        for _ in 0..<count {
            let candidates = world.groups.indices.filter {
                world.groups[$0].kind != .external && !world.groups[$0].members.contains(person)
                    && (world.groups[$0].visibility != .secret || random.chance(0.1))
            }
            guard let group = candidates.pick(&random) else { return }
            try await enter(person, group)
        }
    }

    /// Brings `person` into `group` the way the group admits people.
    func enter(_ person: Int, _ group: Int) async throws(DemoOrganisation<Store>.Failure) {
        let community = world.groups[group]
        let gatekeeper = community.moderators.pick(&random) ?? community.owner
        let member = world.people[person].id
        var admitted = false
        switch community.visibility {
        case .open:
            admitted = try await act(JoinCommunity(community: community.id), by: person)
        case .closed:
            guard
                try await act(RequestMembership(community: community.id, message: "I would like to learn from you."), by: person)
            else { return }
            let approve = random.chance(0.85)
            let message = approve ? nil : "This group is for the project team only."
            admitted =
                try await act(
                    DecideMembershipRequest(community: community.id, member: member, approve: approve, message: message),
                    by: gatekeeper) && approve
        case .secret:
            guard try await act(InviteMember(community: community.id, member: member), by: gatekeeper) else { return }
            let accept = random.chance(0.9)
            admitted = try await act(RespondToInvitation(community: community.id, accept: accept), by: person) && accept
        }
        if admitted { admit(person, group) }
    }

    func admit(_ person: Int, _ group: Int) {
        world.groups[group].members.append(person)
        world.people[person].communities.append(group)
    }

    /// Learning communities get assigned learners; external ones their guests; every community
    /// gets a moderator or two.
    func populate(_ group: Int) async throws(DemoOrganisation<Store>.Failure) {
        let community = world.groups[group]
        switch community.kind {
        case .learning:
            let learners = world.people.indices.filter { world.people[$0].arrivalDay == 0 && !world.people[$0].isExternal }
            for _ in 0..<min(30, max(3, settings.members / 60)) {
                guard let learner = learners.pick(&random), !world.groups[group].members.contains(learner) else { continue }
                if try await act(AssignMember(community: community.id, member: world.people[learner].id), by: community.owner) {
                    admit(learner, group)
                }
            }
        case .external:
            let partner = DemoWorld.partners[group % DemoWorld.partners.count]
            let guests = world.people.indices.filter {
                world.people[$0].organization == partner && world.people[$0].arrivalDay == 0
            }
            let internals = world.people.indices.filter { !world.people[$0].isExternal && world.people[$0].arrivalDay == 0 }
            let invitees = guests.prefix(8) + (0..<random.int(3...8)).compactMap { _ in internals.pick(&random) }
            for invitee in Set(invitees).sorted() where !world.groups[group].members.contains(invitee) {
                guard try await act(InviteMember(community: community.id, member: world.people[invitee].id), by: community.owner)
                else { continue }
                if try await act(RespondToInvitation(community: community.id, accept: random.chance(0.9)), by: invitee) {
                    admit(invitee, group)
                }
            }
        case .practice:
            break
        }
        let candidates = world.groups[group].members.filter { $0 != community.owner && !world.people[$0].isExternal }
        for moderator in candidates.prefix(random.int(1...2)) {
            let promoted = try await act(
                ChangeMemberRole(community: community.id, member: world.people[moderator].id, role: .moderator),
                by: community.owner)
            if promoted { world.groups[group].moderators.append(moderator) }
        }
    }
}

extension Curve25519.Signing.PrivateKey {
    /// A key from 32 bytes of `random`, so demo devices are the same for the same seed.
    init(seed random: inout SplitMix64) {
        let bytes = (0..<4).flatMap { _ in withUnsafeBytes(of: random.next().littleEndian, Array.init) }
        // 32 bytes are always a valid Ed25519 private key.
        self = try! Curve25519.Signing.PrivateKey(rawRepresentation: bytes)
    }
}
