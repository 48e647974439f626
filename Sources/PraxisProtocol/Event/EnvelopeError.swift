/// Why bytes or a JSON value are not a valid Praxis event envelope.
public struct EnvelopeError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A stable, machine-readable reason, in snake_case on the wire.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        public let description: String
        private init(_ description: String) { self.description = description }

        /// The bytes are not acceptable JSON; ``EnvelopeError/parseError`` says why.
        public static let invalidJSON = Code("invalid_json")
        /// A field is missing, has the wrong type, or breaks its rule; ``EnvelopeError/field`` names it.
        public static let invalidField = Code("invalid_field")
        /// The bytes are valid JSON but not in RFC 8785 canonical form, so they cannot be signed bytes.
        public static let nonCanonical = Code("non_canonical")
    }

    /// The reason.
    public let code: Code
    /// The offending field, as a dotted path (`metadata.client_time`), when one is to blame.
    public let field: String?
    /// A human-readable explanation.
    public let message: String
    /// The parser's finding, for ``Code/invalidJSON``.
    public let parseError: JSONParseError?

    init(_ code: Code, field: String? = nil, _ message: String, parseError: JSONParseError? = nil) {
        self.code = code
        self.field = field
        self.message = message
        self.parseError = parseError
    }

    static func invalidField(_ field: String, _ message: String) -> EnvelopeError {
        EnvelopeError(.invalidField, field: field, message)
    }

    public var description: String {
        if let field { return "\(code) (\(field)): \(message)" }
        return "\(code): \(message)"
    }
}
