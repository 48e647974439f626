public import PraxisProtocol

/// An operator issued a one-time enrollment code for a member. The log keeps only the code's
/// SHA-256; the code itself is shown once, to the operator.
public struct DeviceInvitationIssued: DomainEvent {
    public static let type = "device_invitation_issued"
    public static let schemaVersion: Int64 = 1
    /// base64url SHA-256 of the code; the stream is `enrollment/<code_hash>`.
    public var codeHash: String
    public var member: MemberID
    public var expiresAt: Timestamp
}

/// An enrollment code was used: the device it enrolled.
public struct DeviceInvitationRedeemed: DomainEvent {
    public static let type = "device_invitation_redeemed"
    public static let schemaVersion: Int64 = 1
    public var codeHash: String
    public var device: DeviceID
}

/// An enrollment code as its stream tells it.
public struct DeviceInvitationState: Aggregate, Equatable {
    public let member: MemberID
    public let expiresAt: Timestamp
    public var redeemedBy: DeviceID?

    public static func evolve(_ state: DeviceInvitationState?, _ event: any DomainEvent) -> DeviceInvitationState? {
        if let issued = event as? DeviceInvitationIssued {
            return DeviceInvitationState(member: issued.member, expiresAt: issued.expiresAt)
        }
        guard var state else { return nil }
        if let redeemed = event as? DeviceInvitationRedeemed { state.redeemedBy = redeemed.device }
        return state
    }

    /// The stream of the code whose SHA-256 is `codeHash` (base64url).
    public static func stream(codeHash: String) -> StreamName? { StreamName("enrollment/" + codeHash) }
}

/// Operators: issue a one-time enrollment code for a member, valid until `expiresAt`.
public struct InviteDevice: Command {
    public var codeHash: EventHash
    public var member: MemberID
    public var expiresAt: Timestamp

    public init(codeHash: EventHash, member: MemberID, expiresAt: Timestamp) {
        self.codeHash = codeHash
        self.member = member
        self.expiresAt = expiresAt
    }

    private var stream: StreamName? { DeviceInvitationState.stream(codeHash: codeHash.base64URL) }

    public func streams(_ input: DecisionInput, actor: Actor) -> [StreamName] {
        [member.stream] + (stream.map { [$0] } ?? [])
    }

    public func decide(_ input: DecisionInput, actor: Actor) throws(Rejection) -> [PendingEvent] {
        try input.requireOperator(actor)
        guard let stream else { throw .invalidField("code_hash", "must be a SHA-256 hash") }
        guard let target = input.member(member) else { throw Rejection(.notFound, "no member \(member)") }
        guard target.isActive else { throw Rejection(.memberDeactivated, "member \(member) is deactivated") }
        guard expiresAt > input.now else { throw .invalidField("expires_at", "must be in the future") }
        guard input.state(DeviceInvitationState.self, stream) == nil else {
            throw Rejection(.alreadyExists, "this code was issued before")
        }
        return [
            PendingEvent(
                stream, DeviceInvitationIssued(codeHash: codeHash.base64URL, member: member, expiresAt: expiresAt))
        ]
    }
}

/// A device redeems an enrollment code with its public key; it is enrolled for the code's member.
/// The actor is that member (the sync service reads the code's stream to know who it is).
public struct EnrollDeviceWithCode: Command {
    public var codeHash: EventHash
    public var device: DeviceID
    public var algorithm: DeviceKeyAlgorithm
    public var publicKey: String
    public var name: String?

    public init(codeHash: EventHash, device: DeviceID, algorithm: DeviceKeyAlgorithm, publicKey: String, name: String?) {
        self.codeHash = codeHash
        self.device = device
        self.algorithm = algorithm
        self.publicKey = publicKey
        self.name = name
    }

    /// The code's stream, which says whose code it is.
    public var invitationStream: StreamName? { DeviceInvitationState.stream(codeHash: codeHash.base64URL) }

    public func streams(_ input: DecisionInput, actor: Actor) -> [StreamName] {
        [device.stream] + (invitationStream.map { [$0] } ?? [])
    }

    public func decide(_ input: DecisionInput, actor: Actor) throws(Rejection) -> [PendingEvent] {
        guard let invitationStream, let invitation = input.state(DeviceInvitationState.self, invitationStream),
            invitation.member == actor.member
        else { throw Rejection(.notFound, "no such enrollment code") }
        guard invitation.redeemedBy == nil else { throw Rejection(.invalidState, "the enrollment code was used already") }
        guard input.now < invitation.expiresAt else { throw Rejection(.expired, "the enrollment code has expired") }
        var enrolled = try EnrollDevice(
            device: device, algorithm: algorithm, publicKey: publicKey, name: name
        ).decide(input, actor: actor)
        enrolled.append(
            PendingEvent(invitationStream, DeviceInvitationRedeemed(codeHash: codeHash.base64URL, device: device)))
        return enrolled
    }
}
