/// A strict JSON parser (RFC 8259 with the I-JSON restrictions of RFC 7493).
///
/// Rejects, with a ``JSONParseError``: invalid UTF-8, duplicate object keys, unpaired surrogate
/// escapes, numbers that overflow an IEEE 754 double, nesting deeper than ``maximumDepth``, a
/// byte-order mark and anything after the top-level value other than white space.
///
/// ```swift
/// let value = try JSONParser.parse(Array(#"{"a":[1,2.5,"x"]}"#.utf8))
/// ```
public struct JSONParser: Sendable {
    /// The deepest nesting of arrays and objects accepted by default.
    public static let defaultMaximumDepth = 64

    /// The deepest nesting of arrays and objects this parser accepts.
    public let maximumDepth: Int

    public init(maximumDepth: Int = JSONParser.defaultMaximumDepth) {
        self.maximumDepth = maximumDepth
    }

    /// Parses one JSON text.
    public static func parse(_ bytes: some Collection<UInt8>) throws(JSONParseError) -> JSONValue {
        try JSONParser().parse(bytes)
    }

    /// Parses one JSON text.
    public func parse(_ bytes: some Collection<UInt8>) throws(JSONParseError) -> JSONValue {
        var reader = Reader(bytes: Array(bytes), maximumDepth: maximumDepth)
        reader.skipWhitespace()
        let value = try reader.readValue(depth: 0)
        reader.skipWhitespace()
        guard reader.isAtEnd else {
            throw JSONParseError(.invalidJSON, at: reader.offset, "unexpected data after the JSON value")
        }
        return value
    }
}

private struct Reader {
    let bytes: [UInt8]
    let maximumDepth: Int
    var offset = 0
    /// The members read so far of every object still open, innermost last. An object's dictionary
    /// is made once, at its full size, when the object closes: growing it one member at a time
    /// rehashed every key at each doubling.
    var openMembers: [(key: String, value: JSONValue, keyOffset: Int)] = []

    init(bytes: [UInt8], maximumDepth: Int) {
        self.bytes = bytes
        self.maximumDepth = maximumDepth
        // An event's envelope, metadata and payload open about twenty members at once; growing the
        // list from nothing to that size was four reallocations of every parse.
        openMembers.reserveCapacity(32)
    }

    var isAtEnd: Bool { offset >= bytes.count }

    mutating func skipWhitespace() {
        while offset < bytes.count {
            switch bytes[offset] {
            case 0x20, 0x09, 0x0A, 0x0D: offset += 1
            default: return
            }
        }
    }

    func fail(_ code: JSONParseError.Code, _ message: String, at position: Int? = nil) -> JSONParseError {
        JSONParseError(code, at: position ?? offset, message)
    }

    mutating func readValue(depth: Int) throws(JSONParseError) -> JSONValue {
        guard offset < bytes.count else { throw fail(.invalidJSON, "expected a value, found the end of input") }
        switch bytes[offset] {
        case UInt8(ascii: "{"): return try readObject(depth: depth + 1)
        case UInt8(ascii: "["): return try readArray(depth: depth + 1)
        case UInt8(ascii: "\""): return .string(try readString())
        case UInt8(ascii: "t"): try readLiteral("true"); return .bool(true)
        case UInt8(ascii: "f"): try readLiteral("false"); return .bool(false)
        case UInt8(ascii: "n"): try readLiteral("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number(try readNumber())
        case 0xEF where bytes[offset...].starts(with: [0xEF, 0xBB, 0xBF]):
            throw fail(.invalidJSON, "a byte-order mark is not allowed")
        default: throw fail(.invalidJSON, "unexpected character")
        }
    }

    mutating func readLiteral(_ literal: StaticString) throws(JSONParseError) {
        let expected = UnsafeBufferPointer(start: literal.utf8Start, count: literal.utf8CodeUnitCount)
        guard bytes[offset...].starts(with: expected) else { throw fail(.invalidJSON, "unexpected character") }
        offset += expected.count
    }

    mutating func readObject(depth: Int) throws(JSONParseError) -> JSONValue {
        guard depth <= maximumDepth else { throw fail(.nestingTooDeep, "nesting deeper than \(maximumDepth)") }
        offset += 1
        skipWhitespace()
        if offset < bytes.count, bytes[offset] == UInt8(ascii: "}") {
            offset += 1
            return .object([:])
        }
        let first = openMembers.count
        while true {
            skipWhitespace()
            let keyOffset = offset
            guard offset < bytes.count, bytes[offset] == UInt8(ascii: "\"") else {
                throw fail(.invalidJSON, "expected a member name in quotes")
            }
            let key = try readString()
            skipWhitespace()
            guard offset < bytes.count, bytes[offset] == UInt8(ascii: ":") else {
                throw fail(.invalidJSON, "expected ':' after a member name")
            }
            offset += 1
            skipWhitespace()
            openMembers.append((key, try readValue(depth: depth), keyOffset))
            skipWhitespace()
            guard offset < bytes.count else { throw fail(.invalidJSON, "unterminated object") }
            switch bytes[offset] {
            case UInt8(ascii: ","): offset += 1
            case UInt8(ascii: "}"): offset += 1; return try closeObject(membersFrom: first)
            default: throw fail(.invalidJSON, "expected ',' or '}' in an object")
            }
        }
    }

    /// The object whose members are `openMembers[first...]`, which it takes off the list.
    mutating func closeObject(membersFrom first: Int) throws(JSONParseError) -> JSONValue {
        var members = [String: JSONValue](minimumCapacity: openMembers.count - first)
        for member in openMembers[first...] {
            guard members.updateValue(member.value, forKey: member.key) == nil else {
                throw fail(.duplicateKey, "the member name \"\(member.key)\" appears twice", at: member.keyOffset)
            }
        }
        openMembers.removeSubrange(first...)
        return .object(members)
    }

    mutating func readArray(depth: Int) throws(JSONParseError) -> JSONValue {
        guard depth <= maximumDepth else { throw fail(.nestingTooDeep, "nesting deeper than \(maximumDepth)") }
        offset += 1
        var elements: [JSONValue] = []
        skipWhitespace()
        if offset < bytes.count, bytes[offset] == UInt8(ascii: "]") {
            offset += 1
            return .array(elements)
        }
        while true {
            skipWhitespace()
            elements.append(try readValue(depth: depth))
            skipWhitespace()
            guard offset < bytes.count else { throw fail(.invalidJSON, "unterminated array") }
            switch bytes[offset] {
            case UInt8(ascii: ","): offset += 1
            case UInt8(ascii: "]"): offset += 1; return .array(elements)
            default: throw fail(.invalidJSON, "expected ',' or ']' in an array")
            }
        }
    }

    mutating func readString() throws(JSONParseError) -> String {
        let start = offset
        offset += 1
        var decoded: [UInt8] = []
        var runStart = offset
        var escaped = false
        var isASCII = true
        while true {
            guard offset < bytes.count else { throw fail(.invalidJSON, "unterminated string", at: start) }
            let byte = bytes[offset]
            if byte == UInt8(ascii: "\"") {
                if !escaped {
                    // Most strings have no escape: made straight from the input, without a copy.
                    let run = runStart..<offset
                    offset += 1
                    guard let string = Self.string(bytes, run, isASCII: isASCII) else {
                        throw fail(.invalidUTF8, "a string is not valid UTF-8", at: start)
                    }
                    return string
                }
                decoded.append(contentsOf: bytes[runStart..<offset])
                offset += 1
                break
            } else if byte == UInt8(ascii: "\\") {
                escaped = true
                decoded.append(contentsOf: bytes[runStart..<offset])
                try readEscape(into: &decoded)
                runStart = offset
            } else if byte < 0x20 {
                throw fail(.invalidJSON, "a control character must be escaped inside a string")
            } else {
                isASCII = isASCII && byte < 0x80
                offset += 1
            }
        }
        guard let string = String(validating: decoded, as: UTF8.self) else {
            throw fail(.invalidUTF8, "a string is not valid UTF-8", at: start)
        }
        return string
    }

    /// The string of `bytes[run]`, nil when it is not UTF-8. Read from the array's storage, so the
    /// standard library's specialised code validates it (on a slice its generic code looked up type
    /// metadata for every string); ASCII, which `readString` has already seen, needs no validation.
    static func string(_ bytes: [UInt8], _ run: Range<Int>, isASCII: Bool) -> String? {
        bytes.withUnsafeBufferPointer { buffer in
            let slice = UnsafeBufferPointer(rebasing: buffer[run])
            return isASCII ? String(decoding: slice, as: UTF8.self) : String(validating: slice, as: UTF8.self)
        }
    }

    mutating func readEscape(into decoded: inout [UInt8]) throws(JSONParseError) {
        let escapeStart = offset
        offset += 1
        guard offset < bytes.count else { throw fail(.invalidJSON, "unterminated escape") }
        let byte = bytes[offset]
        offset += 1
        switch byte {
        case UInt8(ascii: "\""): decoded.append(0x22)
        case UInt8(ascii: "\\"): decoded.append(0x5C)
        case UInt8(ascii: "/"): decoded.append(0x2F)
        case UInt8(ascii: "b"): decoded.append(0x08)
        case UInt8(ascii: "f"): decoded.append(0x0C)
        case UInt8(ascii: "n"): decoded.append(0x0A)
        case UInt8(ascii: "r"): decoded.append(0x0D)
        case UInt8(ascii: "t"): decoded.append(0x09)
        case UInt8(ascii: "u"):
            let scalar = try readUnicodeEscape(escapeStart: escapeStart)
            decoded.append(contentsOf: UTF8.encode(scalar).map { Array($0) } ?? [])
        default: throw fail(.invalidJSON, "unknown escape sequence", at: escapeStart)
        }
    }

    /// Reads the hex digits after `\u` (and a low surrogate's escape when the first is a high one).
    mutating func readUnicodeEscape(escapeStart: Int) throws(JSONParseError) -> Unicode.Scalar {
        let first = try readHex4()
        switch first {
        case 0xD800...0xDBFF:
            guard bytes[offset...].starts(with: [UInt8(ascii: "\\"), UInt8(ascii: "u")]) else {
                throw fail(.loneSurrogate, "a high surrogate escape is not followed by a low one", at: escapeStart)
            }
            offset += 2
            let second = try readHex4()
            guard (0xDC00...0xDFFF).contains(second) else {
                throw fail(.loneSurrogate, "a high surrogate escape is not followed by a low one", at: escapeStart)
            }
            let combined = 0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00)
            guard let scalar = Unicode.Scalar(combined) else {
                throw fail(.loneSurrogate, "invalid surrogate pair", at: escapeStart)
            }
            return scalar
        case 0xDC00...0xDFFF:
            throw fail(.loneSurrogate, "a low surrogate escape without a high one", at: escapeStart)
        default:
            guard let scalar = Unicode.Scalar(first) else { throw fail(.invalidJSON, "invalid escape") }
            return scalar
        }
    }

    mutating func readHex4() throws(JSONParseError) -> UInt32 {
        guard offset + 4 <= bytes.count else { throw fail(.invalidJSON, "a \\u escape needs four hex digits") }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = bytes[offset]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw fail(.invalidJSON, "a \\u escape needs four hex digits")
            }
            value = value << 4 | UInt32(digit)
            offset += 1
        }
        return value
    }

    mutating func readNumber() throws(JSONParseError) -> Double {
        let start = offset
        if bytes[offset] == UInt8(ascii: "-") { offset += 1 }
        guard offset < bytes.count, isDigit(bytes[offset]) else { throw fail(.invalidJSON, "a number needs digits") }
        if bytes[offset] == UInt8(ascii: "0") {
            offset += 1
            if offset < bytes.count, isDigit(bytes[offset]) {
                throw fail(.invalidJSON, "a number must not have leading zeros", at: start)
            }
        } else {
            skipDigits()
        }
        if offset < bytes.count, bytes[offset] == UInt8(ascii: ".") {
            offset += 1
            guard offset < bytes.count, isDigit(bytes[offset]) else {
                throw fail(.invalidJSON, "a decimal point must be followed by digits")
            }
            skipDigits()
        }
        if offset < bytes.count, bytes[offset] == UInt8(ascii: "e") || bytes[offset] == UInt8(ascii: "E") {
            offset += 1
            if offset < bytes.count, bytes[offset] == UInt8(ascii: "+") || bytes[offset] == UInt8(ascii: "-") {
                offset += 1
            }
            guard offset < bytes.count, isDigit(bytes[offset]) else {
                throw fail(.invalidJSON, "an exponent needs digits")
            }
            skipDigits()
        }
        let text = String(decoding: bytes[start..<offset], as: UTF8.self)
        guard let value = Double(text), value.isFinite else {
            throw fail(.numberOutOfRange, "\(text) is beyond the range of an IEEE 754 double", at: start)
        }
        return value
    }

    func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }

    mutating func skipDigits() {
        while offset < bytes.count, isDigit(bytes[offset]) { offset += 1 }
    }
}
