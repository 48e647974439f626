public import PraxisProtocol

// MARK: An address's stream (`email/<SHA-256 of the address, base64url>`): who holds it, so that
// no two members share an e-mail address. A claim is appended with the registration or the change
// of address that needs it, in one atomic append on the address stream's version: of two
// concurrent claims (two requests, processes or nodes) exactly one is written.

/// A member took the e-mail address of this stream (on registration or a change of address). The
/// address itself is in the member's own events only, not repeated here.
public struct EmailClaimed: DomainEvent {
    public static let type = "email_claimed"
    public static let schemaVersion: Int64 = 1
    public var member: MemberID
}

/// A member changed to another address; this stream's address is free again.
public struct EmailReleased: DomainEvent {
    public static let type = "email_released"
    public static let schemaVersion: Int64 = 1
    public var member: MemberID
}

/// Who holds an e-mail address, as its stream tells it.
public struct EmailClaimState: Aggregate, Equatable {
    /// The member holding the address; `nil` when it was released.
    public var holder: MemberID?

    public static func evolve(_ state: EmailClaimState?, _ event: any DomainEvent) -> EmailClaimState? {
        switch event {
        case let claimed as EmailClaimed: EmailClaimState(holder: claimed.member)
        case let released as EmailReleased where state?.holder == released.member: EmailClaimState(holder: nil)
        default: state
        }
    }
}

/// E-mail addresses as the domain keeps them unique.
public enum EmailAddress {
    /// The stream category of address claims.
    public static let category = "email"

    /// The stream of `address`, which must already be normalised (`TextRules.email`); the name
    /// carries a digest, since an address has characters a stream name may not.
    public static func stream(of address: String) -> StreamName {
        // The category and base64url's alphabet are allowed in stream names, and the name is short.
        StreamName(category + "/" + EventHash(hashing: address.utf8).base64URL)!
    }

    /// The stream of `text` when it is a valid address; `nil` otherwise (the decision then
    /// rejects it).
    static func stream(ofUnchecked text: String) -> StreamName? {
        (try? TextRules.email(text, field: "email")).map(stream(of:))
    }
}

extension DecisionInput {
    /// Who holds `address` (normalised); `nil` when nobody does.
    public func holder(of address: String) -> MemberID? {
        state(EmailClaimState.self, EmailAddress.stream(of: address))?.holder
    }

    /// The events that give `address` (normalised) to `member`: none when they hold it already,
    /// a claim when nobody does, and a release of `previous` (their address until now) when they
    /// held it.
    /// - Throws: `email_taken` when another member holds `address`.
    func claim(_ address: String, for member: MemberID, releasing previous: String?) throws(Rejection) -> [PendingEvent] {
        var events: [PendingEvent] = []
        switch holder(of: address) {
        case member?:
            break
        case let other?:
            throw Rejection(.emailTaken, "the e-mail address \(address) belongs to member \(other)", field: "email")
        case nil:
            events.append(PendingEvent(EmailAddress.stream(of: address), EmailClaimed(member: member)))
        }
        if let previous, previous != address, holder(of: previous) == member {
            events.append(PendingEvent(EmailAddress.stream(of: previous), EmailReleased(member: member)))
        }
        return events
    }
}

/// Operator: give a member the claim of their own address, which members registered before
/// addresses were claimed lack (`praxis members claim-addresses`).
/// - `invalid_state` when they hold it already; `email_taken` when another member does.
public struct ClaimMemberEmail: Command {
    public var member: MemberID

    public init(member: MemberID) { self.member = member }

    public func streams(_ input: DecisionInput, actor: Actor) -> [StreamName] {
        [member.stream] + (input.member(member).map { [EmailAddress.stream(of: $0.email)] } ?? [])
    }

    public func decide(_ input: DecisionInput, actor: Actor) throws(Rejection) -> [PendingEvent] {
        try input.requireOperator(actor)
        guard let current = input.member(member) else { throw Rejection(.notFound, "no member \(member)") }
        guard input.holder(of: current.email) != member else {
            throw Rejection(.invalidState, "member \(member) holds \(current.email) already")
        }
        return try input.claim(current.email, for: member, releasing: nil)
    }
}
