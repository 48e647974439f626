/// The JSON Canonicalization Scheme of RFC 8785: one byte sequence for every JSON value, so that
/// hashes and signatures computed by any runtime agree.
///
/// - Object members are sorted by the UTF-16 code units of their names, recursively.
/// - No white space; strings escape only `"`, `\` and U+0000–U+001F (the short forms `\b \t \n \f \r`,
///   otherwise `\u00xx` in lowercase hex); every other character is written as UTF-8.
/// - Numbers are written as ECMAScript's `Number.prototype.toString` writes them (see ``ECMAScriptNumber``).
///
/// ```swift
/// let bytes = CanonicalJSON.encode(["b": 1, "a": [true, nil]])   // {"a":[true,null],"b":1}
/// ```
public enum CanonicalJSON {
    /// The canonical UTF-8 bytes of `value`.
    public static func encode(_ value: JSONValue) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(256)
        write(value, into: &output)
        return output
    }

    /// Parses `bytes` and returns their canonical form.
    ///
    /// Throws the parser's error for input that has no canonical form (invalid JSON, duplicate keys,
    /// unpaired surrogates, numbers beyond the double range).
    public static func canonicalize(_ bytes: some Collection<UInt8>) throws(JSONParseError) -> [UInt8] {
        encode(try JSONParser.parse(bytes))
    }

    /// Whether `bytes` are already exactly the canonical form of the JSON value they hold.
    public static func isCanonical(_ bytes: [UInt8]) -> Bool {
        guard let canonical = try? canonicalize(bytes) else { return false }
        return canonical == bytes
    }

    /// The order RFC 8785 §3.2.3 gives object members: by UTF-16 code units, unsigned.
    ///
    /// Compared as UTF-8 up to the first difference: when both differing bytes are ASCII, they are
    /// whole characters after an equal prefix, so their order is the UTF-16 order (and a prefix
    /// precedes in both). Only a difference between non-ASCII characters is compared as UTF-16.
    public static func precedes(_ lhs: String, _ rhs: String) -> Bool {
        var left = lhs.utf8.makeIterator()
        var right = rhs.utf8.makeIterator()
        while true {
            switch (left.next(), right.next()) {
            case (nil, nil): return false
            case (nil, _): return true
            case (_, nil): return false
            case (let l?, let r?):
                if l == r { continue }
                if l < 0x80 && r < 0x80 { return l < r }
                return lhs.utf16.lexicographicallyPrecedes(rhs.utf16)
            }
        }
    }

    static func write(_ value: JSONValue, into output: inout [UInt8]) {
        switch value {
        case .null: output.append(contentsOf: "null".utf8)
        case .bool(let flag): output.append(contentsOf: (flag ? "true" : "false").utf8)
        case .number(let number): output.append(contentsOf: ECMAScriptNumber.format(number).utf8)
        case .string(let string): writeString(string, into: &output)
        case .array(let elements):
            output.append(UInt8(ascii: "["))
            for (index, element) in elements.enumerated() {
                if index > 0 { output.append(UInt8(ascii: ",")) }
                write(element, into: &output)
            }
            output.append(UInt8(ascii: "]"))
        case .object(let members):
            output.append(UInt8(ascii: "{"))
            for (index, member) in members.sorted(by: { precedes($0.key, $1.key) }).enumerated() {
                if index > 0 { output.append(UInt8(ascii: ",")) }
                writeString(member.key, into: &output)
                output.append(UInt8(ascii: ":"))
                write(member.value, into: &output)
            }
            output.append(UInt8(ascii: "}"))
        }
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)

    /// Writes `string` quoted, copying runs that need no escape whole: byte by byte, writing
    /// strings was two fifths of encoding a feed page.
    static func writeString(_ string: String, into output: inout [UInt8]) {
        output.append(UInt8(ascii: "\""))
        var string = string
        string.withUTF8 { bytes in
            var runStart = 0
            for index in bytes.indices {
                let byte = bytes[index]
                guard byte < 0x20 || byte == 0x22 || byte == 0x5C else { continue }
                output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<index]))
                writeEscape(byte, into: &output)
                runStart = index + 1
            }
            output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart...]))
        }
        output.append(UInt8(ascii: "\""))
    }

    /// The escape of `"`, `\\` or a control character.
    private static func writeEscape(_ byte: UInt8, into output: inout [UInt8]) {
        output.append(0x5C)
        switch byte {
        case 0x22: output.append(0x22)
        case 0x5C: output.append(0x5C)
        case 0x08: output.append(UInt8(ascii: "b"))
        case 0x09: output.append(UInt8(ascii: "t"))
        case 0x0A: output.append(UInt8(ascii: "n"))
        case 0x0C: output.append(UInt8(ascii: "f"))
        case 0x0D: output.append(UInt8(ascii: "r"))
        default:
            output.append(contentsOf: "u00".utf8)
            output.append(hexDigits[Int(byte >> 4)])
            output.append(hexDigits[Int(byte & 0x0F)])
        }
    }
}
