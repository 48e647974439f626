public import PraxisProtocol

/// Operator: add a member, with an e-mail address no other member holds (`email_taken`).
public struct RegisterMember: Command, Decodable {
    public var member: MemberID
    public var displayName: String
    public var email: String
    public var region: String
    public var department: String
    public var title: String?
    public var leadership: LeadershipLevel?
    public var external: Bool?
    public var organization: String?

    public init(
        member: MemberID, displayName: String, email: String, region: String, department: String, title: String? = nil,
        leadership: LeadershipLevel? = nil, external: Bool? = nil, organization: String? = nil
    ) {
        self.member = member
        self.displayName = displayName
        self.email = email
        self.region = region
        self.department = department
        self.title = title
        self.leadership = leadership
        self.external = external
        self.organization = organization
    }

    public func streams(_ input: DecisionInput, actor: Actor) -> [StreamName] {
        [member.stream] + (EmailAddress.stream(ofUnchecked: email).map { [$0] } ?? [])
    }

    public func decide(_ input: DecisionInput, actor: Actor) throws(Rejection) -> [PendingEvent] {
        try input.requireOperator(actor)
        guard input.member(member) == nil else { throw Rejection(.alreadyExists, "member \(member) already exists") }
        let external = self.external ?? false
        let organization = try MemberRules.organization(organization, external: external)
        let event = MemberRegistered(
            member: member, displayName: try TextRules.line(displayName, field: "display_name"),
            email: try TextRules.email(email, field: "email"), region: try TextRules.line(region, field: "region"),
            department: try TextRules.line(department, field: "department"),
            title: try TextRules.line(title ?? "", field: "title", required: false),
            leadership: leadership ?? .contributor, external: external, organization: organization)
        return [PendingEvent(member.stream, event)] + (try input.claim(event.email, for: member, releasing: nil))
    }
}

/// Operator, or the member: change name, e-mail, title, leadership or organisation.
/// Members may change their own name and title only; a new address must be free (`email_taken`).
public struct UpdateMemberProfile: Command, Decodable {
    public var member: MemberID
    public var displayName: String?
    public var email: String?
    public var title: String?
    public var leadership: LeadershipLevel?
    public var organization: String?

    public init(
        member: MemberID, displayName: String? = nil, email: String? = nil, title: String? = nil,
        leadership: LeadershipLevel? = nil, organization: String? = nil
    ) {
        self.member = member
        self.displayName = displayName
        self.email = email
        self.title = title
        self.leadership = leadership
        self.organization = organization
    }

    /// The member's stream and, when the address changes, the streams of the new address and the
    /// current one (known once the member's stream is loaded).
    public func streams(_ input: DecisionInput, actor: Actor) -> [StreamName] {
        guard actor == .operator, let email, let claimed = EmailAddress.stream(ofUnchecked: email) else { return [member.stream] }
        let current = input.member(member).map { [EmailAddress.stream(of: $0.email)] } ?? []
        return [member.stream, claimed] + current
    }

    public func decide(_ input: DecisionInput, actor: Actor) throws(Rejection) -> [PendingEvent] {
        if actor != .operator {
            let me = try input.activeMember(actor)
            guard me.id == member else { throw Rejection(.forbidden, "members may only change their own profile") }
            guard email == nil, leadership == nil, organization == nil else {
                throw Rejection(.forbidden, "only an operator changes e-mail, leadership level or organisation")
            }
        }
        guard let current = input.member(member) else { throw Rejection(.notFound, "no member \(member)") }
        let event = MemberProfileUpdated(
            member: member,
            displayName: try displayName.map { name throws(Rejection) in try TextRules.line(name, field: "display_name") }
                ?? current.displayName,
            email: try email.map { text throws(Rejection) in try TextRules.email(text, field: "email") } ?? current.email,
            title: try title.map { text throws(Rejection) in try TextRules.line(text, field: "title", required: false) }
                ?? current.title,
            leadership: leadership ?? current.leadership,
            organization: try MemberRules.organization(organization ?? current.organization, external: current.isExternal))
        let claims = email == nil ? [] : try input.claim(event.email, for: member, releasing: current.email)
        return [PendingEvent(member.stream, event)] + claims
    }
}

/// Operator: a member moves to another region or department.
public struct MoveMember: Command, Decodable {
    public var member: MemberID
    public var region: String
    public var department: String

    public init(member: MemberID, region: String, department: String) {
        self.member = member
        self.region = region
        self.department = department
    }

    public func streams(_ input: DecisionInput, actor: Actor) -> [StreamName] { [member.stream] }

    public func decide(_ input: DecisionInput, actor: Actor) throws(Rejection) -> [PendingEvent] {
        try input.requireOperator(actor)
        guard let current = input.member(member) else { throw Rejection(.notFound, "no member \(member)") }
        let region = try TextRules.line(region, field: "region")
        let department = try TextRules.line(department, field: "department")
        guard region != current.region || department != current.department else {
            throw Rejection(.invalidState, "the member is already in \(region) / \(department)")
        }
        return [PendingEvent(member.stream, MemberMoved(member: member, region: region, department: department))]
    }
}

/// Operator: deactivate a member (they can do nothing until reactivated) or reactivate one.
public struct SetMemberActive: Command, Decodable {
    public var member: MemberID
    public var active: Bool

    public init(member: MemberID, active: Bool) {
        self.member = member
        self.active = active
    }

    public func streams(_ input: DecisionInput, actor: Actor) -> [StreamName] { [member.stream] }

    public func decide(_ input: DecisionInput, actor: Actor) throws(Rejection) -> [PendingEvent] {
        try input.requireOperator(actor)
        guard let current = input.member(member) else { throw Rejection(.notFound, "no member \(member)") }
        guard current.isActive != active else {
            throw Rejection(.invalidState, "the member is already \(active ? "active" : "deactivated")")
        }
        let event: any DomainEvent = active ? MemberReactivated(member: member) : MemberDeactivated(member: member)
        return [PendingEvent(member.stream, event)]
    }
}

/// Operator: record a new access token for a member. The caller makes the token and passes only
/// its SHA-256 here, so the token itself never reaches the log.
public struct IssueAccessToken: Command {
    public var member: MemberID
    public var token: AccessTokenID
    public var tokenHash: EventHash

    public init(member: MemberID, token: AccessTokenID, tokenHash: EventHash) {
        self.member = member
        self.token = token
        self.tokenHash = tokenHash
    }

    public func streams(_ input: DecisionInput, actor: Actor) -> [StreamName] { [member.stream] }

    public func decide(_ input: DecisionInput, actor: Actor) throws(Rejection) -> [PendingEvent] {
        try input.requireOperator(actor)
        guard let current = input.member(member) else { throw Rejection(.notFound, "no member \(member)") }
        guard current.isActive else { throw Rejection(.memberDeactivated, "member \(member) is deactivated") }
        guard current.accessTokens[token] == nil else { throw Rejection(.alreadyExists, "token \(token) exists") }
        return [
            PendingEvent(member.stream, AccessTokenIssued(member: member, token: token, tokenHash: tokenHash.base64URL))
        ]
    }
}

/// Operator, or the member: revoke an access token.
public struct RevokeAccessToken: Command, Decodable {
    public var member: MemberID
    public var token: AccessTokenID

    public init(member: MemberID, token: AccessTokenID) {
        self.member = member
        self.token = token
    }

    public func streams(_ input: DecisionInput, actor: Actor) -> [StreamName] { [member.stream] }

    public func decide(_ input: DecisionInput, actor: Actor) throws(Rejection) -> [PendingEvent] {
        if actor != .operator {
            guard try input.activeMember(actor).id == member else {
                throw Rejection(.forbidden, "members may only revoke their own tokens")
            }
        }
        guard let current = input.member(member), current.accessTokens[token] != nil else {
            throw Rejection(.notFound, "no active token \(token) for member \(member)")
        }
        return [PendingEvent(member.stream, AccessTokenRevoked(member: member, token: token))]
    }
}

enum MemberRules {
    /// External members need their organisation's name; internal ones have none.
    static func organization(_ organization: String?, external: Bool) throws(Rejection) -> String? {
        guard external else { return nil }
        guard let organization else {
            throw .invalidField("organization", "is required for an external member")
        }
        return try TextRules.line(organization, field: "organization")
    }
}
