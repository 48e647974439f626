public import PraxisProtocol

/// A device's public key was enrolled for a member; from this log position on it may sign.
public struct DeviceEnrolled: DomainEvent {
    public static let type = "device_enrolled"
    public static let schemaVersion: Int64 = 1
    public var device: DeviceID
    public var member: MemberID
    public var algorithm: DeviceKeyAlgorithm
    /// The public key, unpadded base64url.
    public var publicKey: String
    public var name: String
}

/// A device was revoked; from this log position on its signatures are refused.
public struct DeviceRevoked: DomainEvent {
    public static let type = "device_revoked"
    public static let schemaVersion: Int64 = 1
    public var device: DeviceID
    public var member: MemberID
}

/// A device as its stream tells it.
public struct DeviceState: Aggregate, Equatable {
    public let id: DeviceID
    public let member: MemberID
    public let algorithm: DeviceKeyAlgorithm
    public let publicKey: String
    public var isRevoked = false

    public static func evolve(_ state: DeviceState?, _ event: any DomainEvent) -> DeviceState? {
        if let enrolled = event as? DeviceEnrolled {
            return DeviceState(
                id: enrolled.device, member: enrolled.member, algorithm: enrolled.algorithm, publicKey: enrolled.publicKey)
        }
        guard var state else { return nil }
        if event is DeviceRevoked { state.isRevoked = true }
        return state
    }
}

/// A member enrolls a device key for themself; an operator may enroll one for any member.
public struct EnrollDevice: Command, Decodable {
    public var device: DeviceID
    public var member: MemberID?
    public var algorithm: DeviceKeyAlgorithm
    public var publicKey: String
    public var name: String?

    public init(device: DeviceID, member: MemberID? = nil, algorithm: DeviceKeyAlgorithm, publicKey: String, name: String? = nil)
    {
        self.device = device
        self.member = member
        self.algorithm = algorithm
        self.publicKey = publicKey
        self.name = name
    }

    public func streams(_ input: DecisionInput, actor: Actor) -> [StreamName] {
        [device.stream] + (member.map { [$0.stream] } ?? [])
    }

    public func decide(_ input: DecisionInput, actor: Actor) throws(Rejection) -> [PendingEvent] {
        let owner: MemberState
        if actor == .operator {
            guard let member, let target = input.member(member) else { throw .invalidField("member", "must name a member") }
            guard target.isActive else { throw Rejection(.memberDeactivated, "member \(member) is deactivated") }
            owner = target
        } else {
            owner = try input.activeMember(actor)
            guard member == nil || member == owner.id else {
                throw Rejection(.forbidden, "members enroll devices for themselves only")
            }
        }
        guard input.device(device) == nil else { throw Rejection(.alreadyExists, "device \(device) exists") }
        guard let key = Base64URL.decode(publicKey), algorithm.isValidPublicKey(key) else {
            throw .invalidField("public_key", "must be a valid \(algorithm.rawValue) public key in unpadded base64url")
        }
        let name = try TextRules.line(name ?? "", field: "name", maximumLength: 100, required: false)
        let event = DeviceEnrolled(device: device, member: owner.id, algorithm: algorithm, publicKey: publicKey, name: name)
        return [PendingEvent(device.stream, event)]
    }
}

/// The device's member, or an operator: revoke a device.
public struct RevokeDevice: Command, Decodable {
    public var device: DeviceID

    public init(device: DeviceID) { self.device = device }

    public func streams(_ input: DecisionInput, actor: Actor) -> [StreamName] { [device.stream] }

    public func decide(_ input: DecisionInput, actor: Actor) throws(Rejection) -> [PendingEvent] {
        guard let current = input.device(device) else { throw Rejection(.notFound, "no device \(device)") }
        if actor != .operator {
            guard try input.activeMember(actor).id == current.member else {
                throw Rejection(.notFound, "no device \(device) of yours")
            }
        }
        guard !current.isRevoked else { throw Rejection(.invalidState, "the device is already revoked") }
        return [PendingEvent(device.stream, DeviceRevoked(device: device, member: current.member))]
    }
}
