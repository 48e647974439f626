public import PraxisProtocol

/// Every domain event type, by wire name, and the upcasters that bring older payloads to the
/// current schema version when they are read.
public enum EventRegistry {
    /// All event types of the domain.
    public static let types: [any DomainEvent.Type] = [
        MemberRegistered.self, MemberProfileUpdated.self, MemberMoved.self, MemberDeactivated.self,
        MemberReactivated.self, AccessTokenIssued.self, AccessTokenRevoked.self, MemberFollowed.self,
        MemberUnfollowed.self, CommunityFollowed.self, CommunityUnfollowed.self, EmailClaimed.self, EmailReleased.self,
        CommunityCreated.self, CommunityUpdated.self, CommunityArchived.self, CommunityUnarchived.self,
        MemberJoined.self, MembershipRequested.self, MembershipApproved.self, MembershipDeclined.self,
        MemberInvited.self, InvitationAccepted.self, InvitationDeclined.self, MemberAssigned.self, MemberLeft.self,
        MemberRemoved.self, MemberRoleChanged.self,
        PostCreated.self, PostEdited.self, PostDeleted.self, PostPinned.self, PostUnpinned.self, CommentAdded.self,
        CommentEdited.self, CommentDeleted.self, ReactionAdded.self, ReactionRemoved.self, AnswerAccepted.self,
        LearningEventScheduled.self, LearningEventCancelled.self, RSVPRecorded.self, AttendanceRecorded.self,
        MentoringOffered.self, MentoringOfferWithdrawn.self, MenteeTakenOn.self, MenteeReleased.self,
        MentoringRequested.self, MentoringAccepted.self, MentoringDeclined.self, MentoringSessionLogged.self,
        MentoringGoalSet.self, MentoringEnded.self,
        DeviceEnrolled.self, DeviceRevoked.self, DeviceInvitationIssued.self, DeviceInvitationRedeemed.self,
        SyncBatchRecorded.self, PinDismissed.self, NotificationsRead.self,
    ]

    private static let byName: [String: any DomainEvent.Type] = Dictionary(
        uniqueKeysWithValues: types.map { ($0.type, $0) })

    /// One step of an upcaster chain: turns a payload of `fromVersion` into one of `fromVersion + 1`.
    public struct Upcaster: Sendable {
        public let type: String
        public let fromVersion: Int64
        public let upcast: @Sendable ([String: JSONValue]) -> [String: JSONValue]
    }

    /// The upcasters, one per (type, version) step.
    public static let upcasters: [Upcaster] = [
        // post_created v1 had neither `kind` nor `cites`: every v1 post was a discussion.
        Upcaster(type: PostCreated.type, fromVersion: 1) { payload in
            var payload = payload
            payload["kind"] = payload["kind"] ?? "discussion"
            payload["cites"] = payload["cites"] ?? []
            return payload
        }
    ]

    /// One step down: turns a payload of `fromVersion` into one of `fromVersion - 1`, for clients
    /// that only understand the older schema. Lossy by nature: what the older schema cannot say is
    /// dropped.
    public struct Downcaster: Sendable {
        public let type: String
        public let fromVersion: Int64
        public let downcast: @Sendable ([String: JSONValue]) -> [String: JSONValue]
    }

    /// The downcasters, one per (type, version) step.
    public static let downcasters: [Downcaster] = [
        // post_created v1 had neither `kind` nor `cites`.
        Downcaster(type: PostCreated.type, fromVersion: 2) { payload in
            var payload = payload
            payload["kind"] = nil
            payload["cites"] = nil
            return payload
        }
    ]

    /// `payload` of `type` at `version` brought down to `target`, or `nil` when a step is missing.
    public static func downcast(_ payload: [String: JSONValue], type: String, from version: Int64, to target: Int64)
        -> [String: JSONValue]?
    {
        var payload = payload
        var version = version
        while version > target {
            guard let step = downcasters.first(where: { $0.type == type && $0.fromVersion == version }) else { return nil }
            payload = step.downcast(payload)
            version -= 1
        }
        return payload
    }

    /// Why a stored event could not be read as a domain event.
    public struct DecodingFailure: Error, Sendable, CustomStringConvertible {
        public let description: String
    }

    /// The domain event an envelope holds, upcast to the current schema; `nil` for a type the domain
    /// does not know (such events are not the domain's and are skipped).
    public static func decode(_ envelope: EventEnvelope) throws(DecodingFailure) -> (any DomainEvent)? {
        guard let type = byName[envelope.type.rawValue] else { return nil }
        let payload = try currentPayload(of: envelope, as: type)
        do {
            return try decode(type, payload)
        } catch {
            throw DecodingFailure(description: "\(type.type) payload does not decode: \(error)")
        }
    }

    /// The envelope's payload brought to the current schema version of `type`.
    static func currentPayload(of envelope: EventEnvelope, as type: any DomainEvent.Type) throws(DecodingFailure)
        -> [String: JSONValue]
    {
        var payload = envelope.payload
        var version = envelope.schemaVersion
        while version < type.schemaVersion {
            guard let step = upcasters.first(where: { $0.type == type.type && $0.fromVersion == version }) else {
                throw DecodingFailure(description: "no upcaster for \(type.type) version \(version)")
            }
            payload = step.upcast(payload)
            version += 1
        }
        guard version == type.schemaVersion else {
            throw DecodingFailure(description: "\(type.type) version \(version) is newer than this server knows")
        }
        return payload
    }

    /// The envelope's payload upcast to the current schema version of its type; `nil` for a type
    /// the domain does not know.
    public static func currentPayload(of envelope: EventEnvelope) throws(DecodingFailure) -> [String: JSONValue]? {
        guard let type = byName[envelope.type.rawValue] else { return nil }
        return try currentPayload(of: envelope, as: type)
    }

    /// The current schema version of each event type, by name.
    public static var currentVersions: [String: Int64] {
        Dictionary(uniqueKeysWithValues: types.map { ($0.type, $0.schemaVersion) })
    }

    private static func decode<Event: DomainEvent>(_ type: Event.Type, _ payload: [String: JSONValue]) throws
        -> any DomainEvent
    {
        try EventCoding.decode(type, from: payload)
    }
}
