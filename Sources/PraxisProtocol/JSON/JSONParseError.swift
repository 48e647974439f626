/// Why a byte sequence is not JSON that Praxis accepts.
///
/// Praxis is stricter than RFC 8259 where laxness would make signatures ambiguous: duplicate keys,
/// unpaired surrogates and numbers outside the IEEE 754 double range have no canonical form.
public struct JSONParseError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A stable, machine-readable reason.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Value: String {
            case invalidJSON = "invalid_json"
            case invalidUTF8 = "invalid_utf8"
            case duplicateKey = "duplicate_key"
            case loneSurrogate = "lone_surrogate"
            case numberOutOfRange = "number_out_of_range"
            case nestingTooDeep = "nesting_too_deep"
        }

        private let value: Value
        private init(_ value: Value) { self.value = value }

        /// The text is not JSON (unexpected character, missing value, trailing data, …).
        public static let invalidJSON = Code(.invalidJSON)
        /// The bytes are not valid UTF-8.
        public static let invalidUTF8 = Code(.invalidUTF8)
        /// An object names the same member twice.
        public static let duplicateKey = Code(.duplicateKey)
        /// A `\u` escape names half of a surrogate pair without the other half.
        public static let loneSurrogate = Code(.loneSurrogate)
        /// A number is beyond the range of an IEEE 754 double.
        public static let numberOutOfRange = Code(.numberOutOfRange)
        /// Arrays and objects are nested deeper than the parser allows.
        public static let nestingTooDeep = Code(.nestingTooDeep)

        /// The snake_case form used on the wire.
        public var description: String { value.rawValue }
    }

    /// The reason.
    public let code: Code
    /// The byte offset in the input where the problem was found.
    public let offset: Int
    /// A human-readable explanation.
    public let message: String

    public init(_ code: Code, at offset: Int, _ message: String) {
        self.code = code
        self.offset = offset
        self.message = message
    }

    public var description: String { "\(code) at byte \(offset): \(message)" }
}
