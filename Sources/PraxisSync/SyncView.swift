import Foundation
public import PraxisDomain
public import PraxisProtocol
public import PraxisStore

/// A device key as the log tells it: whose it is, and from which position on it is revoked.
public struct DeviceRecord: Sendable, Hashable {
    public let member: MemberID
    public let algorithm: DeviceKeyAlgorithm
    public let publicKey: [UInt8]
    public var revokedAt: LogPosition?
}

/// Who may see the events of a stream.
enum StreamScope: Hashable {
    /// Readers of the community's content; the community by its number in the view.
    case community(CommunityNumbering.Number)
    /// Only this member (their own stream, devices and mentoring offer).
    case member(MemberID)
    /// The mentor and mentee of a mentoring link.
    case members(Set<MemberID>)
    /// Nobody through sync (enrollment codes, unknown streams).
    case hidden
}

/// The states sync needs, folded from the log up to ``position``: members, communities, posts,
/// devices, and where each stream belongs. A value: a pull works on one consistent view.
public struct SyncView: Sendable {
    public internal(set) var position = LogPosition.start
    var members: [MemberID: MemberState] = [:]
    var communities: [CommunityID: CommunityState] = [:]
    var posts = ShardedMap<PostID, PostScope>()
    /// The comments deleted, by post; few posts have any, so they are kept apart from ``posts``.
    var deletedComments: [PostID: Set<CommentID>] = [:]
    var communityNumbers = CommunityNumbering()
    var learningEvents: [LearningEventID: CommunityNumbering.Number] = [:]
    var mentorings: [MentoringID: MentoringState] = [:]
    public internal(set) var devices: [DeviceID: DeviceRecord] = [:]
    /// The positions of each community's events, ascending, for pulls and backfills.
    var communityPositions: [CommunityNumbering.Number: ChunkedPositions] = [:]
    /// The positions of the events of each member's own streams (member, devices, mentor offer).
    var memberPositions = ShardedMap<MemberID, ChunkedPositions>()
    /// The positions of each mentoring link's events; who sees them follows the link as it is now.
    var mentoringPositions = ShardedMap<MentoringID, ChunkedPositions>()
    /// The mentoring links each member is part of now, as mentee or mentor.
    var mentoringLinks = ShardedMap<MemberID, Set<MentoringID>>()
    /// The communities whose visibility is open: every internal member reads them.
    var openCommunities = CommunityBits()
    /// The communities each member belongs to now. With ``openCommunities`` it answers
    /// ``readableCommunities(of:)`` without looking at every community on every pull.
    var memberCommunities = ShardedMap<MemberID, Set<CommunityNumbering.Number>>()

    /// Folds one more event.
    mutating func apply(_ recorded: RecordedEvent) {
        position = recorded.position
        guard let event = try? EventRegistry.decode(recorded.envelope) else { return }
        switch event {
        case let event as DeviceEnrolled:
            if let key = Base64URL.decode(event.publicKey) {
                devices[event.device] = DeviceRecord(
                    member: event.member, algorithm: event.algorithm, publicKey: key)
            }
        case let event as DeviceRevoked:
            devices[event.device]?.revokedAt = recorded.position
        case let event as LearningEventScheduled:
            learningEvents[event.learningEvent] = communityNumbers.number(for: event.community)
        default:
            break
        }
        let parts = recorded.stream.rawValue.split(separator: "/", maxSplits: 1).map(String.init)
        guard parts.count == 2 else { return }
        switch parts[0] {
        case MemberTag.category:
            if let id = MemberID(parts[1]) { members[id] = MemberState.evolve(members[id], event) }
        case CommunityTag.category:
            if let id = CommunityID(parts[1]) {
                let before = communities[id]
                communities[id] = CommunityState.evolve(before, event)
                indexReaders(
                    of: communityNumbers.number(for: id), before: before, after: communities[id],
                    recreated: event is CommunityCreated)
            }
        case PostTag.category:
            if let id = PostID(parts[1]) { evolvePost(id, event) }
        case MentoringTag.category:
            if let id = MentoringID(parts[1]) { evolveMentoring(id, event) }
        default:
            break
        }
        let position = recorded.position.value
        switch scope(of: recorded.stream) {
        case .community(let community): communityPositions[community, default: ChunkedPositions()].append(position)
        case .member(let member): memberPositions.update(member, default: ChunkedPositions()) { $0.append(position) }
        case .members:
            if let id = MentoringID(parts[1]) {
                mentoringPositions.update(id, default: ChunkedPositions()) { $0.append(position) }
            }
        case .hidden: break
        }
    }

    private mutating func evolveMentoring(_ id: MentoringID, _ event: any DomainEvent) {
        let before = mentorings[id].map(Self.members) ?? []
        mentorings[id] = MentoringState.evolve(mentorings[id], event)
        let after = mentorings[id].map(Self.members) ?? []
        for member in before.subtracting(after) { mentoringLinks.update(member, default: []) { $0.remove(id) } }
        for member in after.subtracting(before) { mentoringLinks.update(member, default: []) { $0.insert(id) } }
    }

    /// Keeps ``openCommunities`` and ``memberCommunities`` in step with a community's new state.
    /// An event admits or removes at most one member (`CommunityState.evolve`), so the members
    /// are compared only when their number changed — or when the community was created (again).
    private mutating func indexReaders(
        of community: CommunityNumbering.Number, before: CommunityState?, after: CommunityState?, recreated: Bool
    ) {
        let isOpen = after?.visibility == .open
        if isOpen != openCommunities.contains(community) {
            if isOpen { openCommunities.insert(community) } else { openCommunities.remove(community) }
        }
        let old = before?.members ?? [:]
        let new = after?.members ?? [:]
        guard recreated || old.count != new.count else { return }
        for member in new.keys where old[member] == nil {
            memberCommunities.update(member, default: []) { $0.insert(community) }
        }
        for member in old.keys where new[member] == nil {
            memberCommunities.update(member, default: []) { $0.remove(community) }
        }
    }

    /// Who sees a mentoring link's events: its mentee and its mentor, once there is one.
    private static func members(of link: MentoringState) -> Set<MemberID> {
        Set([link.mentee] + (link.mentor.map { [$0] } ?? []))
    }

    private mutating func evolvePost(_ post: PostID, _ event: any DomainEvent) {
        switch event {
        case let created as PostCreated:
            posts[post] = PostScope(community: communityNumbers.number(for: created.community))
        case is PostDeleted:
            posts[post]?.isDeleted = true
        case let deleted as CommentDeleted where posts[post] != nil:
            deletedComments[post, default: []].insert(deleted.comment)
        default:
            break
        }
    }

    /// Who may see `stream`.
    func scope(of stream: StreamName) -> StreamScope {
        let name = stream.rawValue
        // Stream names are ASCII, so the first `/` splits them into category and id.
        guard let slash = name.utf8.firstIndex(of: UInt8(ascii: "/")) else { return .hidden }
        let id = String(name[name.index(after: slash)...])
        switch name[..<slash] {
        case CommunityTag.category:
            return CommunityID(id).flatMap { communityNumbers.number(of: $0) }.map { .community($0) } ?? .hidden
        case PostTag.category: return PostID(id).flatMap { posts[$0] }.map { .community($0.community) } ?? .hidden
        case LearningEventTag.category:
            return LearningEventID(id).flatMap { learningEvents[$0] }.map { .community($0) } ?? .hidden
        case MemberTag.category, "mentor": return MemberID(id).map { .member($0) } ?? .hidden
        case DeviceTag.category: return DeviceID(id).flatMap { devices[$0] }.map { .member($0.member) } ?? .hidden
        case MentoringTag.category:
            guard let link = MentoringID(id).flatMap({ mentorings[$0] }) else { return .hidden }
            return .members(Self.members(of: link))
        default: return .hidden
        }
    }

    /// The communities whose content `member` may read now, by number: the same rule as the read
    /// API (members read their communities; internal members also read open ones).
    func readableCommunities(of member: MemberID) -> CommunityBits {
        guard let reader = members[member], reader.isActive else { return CommunityBits() }
        var readable = reader.isExternal ? CommunityBits() : openCommunities
        for community in memberCommunities[member] ?? [] { readable.insert(community) }
        return readable
    }

    /// The ids of `communities`, in ascending order of id.
    func ids(of communities: CommunityBits) -> [CommunityID] {
        communities.compactMap { communityNumbers.id($0) }.sorted()
    }

    /// The positions after `after` of the events in streams `member`, who reads `readable`, may
    /// see: their communities', their own and their mentoring links'. A superset of what
    /// ``isVisible(_:to:readable:)`` lets through (content deleted since is among them), so a
    /// pull reads these and nothing else of the log.
    func candidatePositions(after: LogPosition, for member: MemberID, readable: CommunityBits) -> PositionMerge {
        var lists = readable.compactMap { communityPositions[$0] }
        if let own = memberPositions[member] { lists.append(own) }
        for link in mentoringLinks[member] ?? [] {
            if let positions = mentoringPositions[link] { lists.append(positions) }
        }
        return PositionMerge(lists, after: after.value)
    }

    /// Whether `member`, who reads `readable`, receives `event`. Content deleted since is left out
    /// (its deletion event still goes out, as the purge order's carrier).
    func isVisible(_ event: RecordedEvent, to member: MemberID, readable: CommunityBits) -> Bool {
        isVisible(stream: event.stream, type: event.type.rawValue, to: member, readable: readable) {
            event.envelope.payload["comment"]?.stringValue.flatMap(CommentID.init)
        }
    }

    /// Whether `member`, who reads `readable`, receives an event of `type` in `stream`. `comment`
    /// gives the comment the event is about; it is asked only for posts with deleted comments,
    /// so that most events are decided without decoding them.
    func isVisible<Failure: Error>(
        stream: StreamName, type: String, to member: MemberID, readable: CommunityBits,
        comment: () throws(Failure) -> CommentID?
    ) throws(Failure) -> Bool {
        switch scope(of: stream) {
        case .hidden: return false
        case .member(let owner): return owner == member
        case .members(let owners): return owners.contains(member)
        case .community(let community):
            guard readable.contains(community) else { return false }
            guard stream.rawValue.hasPrefix(PostTag.category + "/"),
                let post = PostID(String(stream.rawValue.dropFirst(PostTag.category.count + 1))),
                let state = posts[post]
            else { return true }
            if state.isDeleted { return type == PostDeleted.type }
            if let deleted = deletedComments[post], let comment = try comment(), deleted.contains(comment) {
                return type == CommentDeleted.type
            }
            return true
        }
    }

    /// Whether events of `type` may carry a purge order (``purgeOrder(for:)``).
    static func carriesPurgeOrder(type: String) -> Bool {
        type == PostDeleted.type || type == CommentDeleted.type
    }

    /// What a device must drop because of `event`, if anything.
    func purgeOrder(for event: RecordedEvent) -> JSONValue? {
        let payload = event.envelope.payload
        switch event.type.rawValue {
        case PostDeleted.type:
            return payload["post"].map { ["kind": "post", "post": $0] }
        case CommentDeleted.type:
            guard let post = payload["post"], let comment = payload["comment"] else { return nil }
            return ["kind": "comment", "post": post, "comment": comment]
        default:
            return nil
        }
    }
}

/// What sync needs of every post: its community (by number) and whether it was deleted; 8 bytes,
/// as the view holds one for every post in the log. (The whole `PostState`, with titles, comments
/// and reactions, was most of the view once.)
struct PostScope: Sendable {
    let community: CommunityNumbering.Number
    var isDeleted = false
}

/// Keeps a ``SyncView`` current with the log; every request takes a view caught up to the head.
///
/// One catch-up reads the log at a time; requests arriving meanwhile wait for it rather than
/// reading the same events again (500 devices at once each read the same page of the log before,
/// holding hundreds of megabytes). A catch-up that began before a request arrived may have read the
/// log's end before that request's own writes were committed, so such a request waits for the next
/// catch-up, one that began after it arrived.
public actor SyncIndex<Store: EventStore> {
    let store: Store
    var view = SyncView()
    /// How many catch-ups have begun.
    private var begun = 0
    /// The catch-up running now, and its number.
    private var running: (number: Int, task: Task<Result<SyncView, StoreError>, Never>)?

    public init(store: Store) {
        self.store = store
    }

    /// The view caught up with everything committed before this call.
    public func current() async throws(StoreError) -> SyncView {
        let arrival = begun
        while true {
            let catchUp: (number: Int, task: Task<Result<SyncView, StoreError>, Never>)
            if let running {
                catchUp = running
            } else {
                begun += 1
                catchUp = (begun, Task { await self.catchUp() })
                running = catchUp
            }
            let result = await catchUp.task.value
            // Whoever sees it finished first clears it, so the next caller begins a new one.
            if running?.number == catchUp.number { running = nil }
            if catchUp.number > arrival { return try result.get() }
        }
    }

    private func catchUp() async -> Result<SyncView, StoreError> {
        do {
            while true {
                let page = try await store.read(from: view.position.next, limit: 1000)
                for recorded in page where recorded.position == view.position.next { view.apply(recorded) }
                if page.count < 1000 { return .success(view) }
            }
        } catch {
            return .failure(error)
        }
    }
}
