/// Why a read was refused. Codes are the same as the domain's where the meaning is the same.
public struct QueryFailure: Error, Sendable, Equatable, CustomStringConvertible {
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        public let description: String
        private init(_ description: String) { self.description = description }

        /// Nothing the reader may know of is here (secret communities answer this to outsiders).
        public static let notFound = Code("not_found")
        /// The reader may see the community but not read its content.
        public static let notMember = Code("not_member")
        /// The reader's account is deactivated.
        public static let memberDeactivated = Code("member_deactivated")
        /// Guests (external members) may not read this: it is for the organisation's own members.
        public static let guestNotAllowed = Code("guest_not_allowed")
        /// The read model is being rebuilt for a new version of the code; retry shortly.
        public static let rebuilding = Code("rebuilding")
        /// A search query without a word to search for.
        public static let invalidQuery = Code("invalid_query")
        /// A cursor that this server did not issue.
        public static let invalidCursor = Code("invalid_cursor")
    }

    public let code: Code
    public let message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "\(code): \(message)" }
}
