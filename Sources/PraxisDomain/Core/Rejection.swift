/// Why a command was refused. Codes are stable snake_case strings; messages are for people.
///
/// A secret community is never named to an outsider: commands that name one answer `not_found`,
/// exactly as for a community that does not exist.
public struct Rejection: Error, Hashable, Sendable, CustomStringConvertible {
    /// A stable, machine-readable reason.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        public let description: String
        private init(_ description: String) { self.description = description }

        /// The thing named does not exist, or the actor may not know that it does.
        public static let notFound = Code("not_found")
        /// The actor is not a member of the community.
        public static let notMember = Code("not_member")
        /// The actor may see the thing but not do this to it.
        public static let forbidden = Code("forbidden")
        /// The member already belongs to the community.
        public static let alreadyMember = Code("already_member")
        /// Something with this id already exists.
        public static let alreadyExists = Code("already_exists")
        /// Another member holds this e-mail address.
        public static let emailTaken = Code("email_taken")
        /// The mentor has as many active mentees as their offer allows.
        public static let capacityReached = Code("capacity_reached")
        /// The community would be left without an owner.
        public static let lastOwner = Code("last_owner")
        /// A field is missing or breaks its rule; ``Rejection/field`` names it.
        public static let invalidField = Code("invalid_field")
        /// The actor's account is deactivated.
        public static let memberDeactivated = Code("member_deactivated")
        /// The community is closed: ask to join, or be invited.
        public static let approvalRequired = Code("approval_required")
        /// The community is archived and takes no new members or content.
        public static let archived = Code("archived")
        /// External members (guests) may only be in external communities.
        public static let guestNotAllowed = Code("guest_not_allowed")
        /// Nobody mentors themself.
        public static let selfMentoring = Code("self_mentoring")
        /// Only a question can have an accepted answer.
        public static let notAQuestion = Code("not_a_question")
        /// The thing is not in a state that allows this (already done, not pending, ended, …).
        public static let invalidState = Code("invalid_state")
        /// A one-time code or offer is past its expiry.
        public static let expired = Code("expired")
        /// A pushed event is not what the domain decides for its command (see `PushableEvents`).
        public static let decisionMismatch = Code("decision_mismatch")
    }

    /// The reason.
    public let code: Code
    /// A human-readable explanation.
    public let message: String
    /// The offending field for ``Code/invalidField``, as the wire names it.
    public let field: String?

    public init(_ code: Code, _ message: String, field: String? = nil) {
        self.code = code
        self.message = message
        self.field = field
    }

    /// A field that breaks its rule.
    public static func invalidField(_ field: String, _ message: String) -> Rejection {
        Rejection(.invalidField, "\(field) \(message)", field: field)
    }

    public var description: String { "\(code): \(message)" }
}
