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
    public static func precedes(_ lhs: String, _ rhs: String) -> Bool {
        lhs.utf16.lexicographicallyPrecedes(rhs.utf16)
    }

    private static func write(_ value: JSONValue, into output: inout [UInt8]) {
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
            for (index, key) in members.keys.sorted(by: precedes).enumerated() {
                if index > 0 { output.append(UInt8(ascii: ",")) }
                writeString(key, into: &output)
                output.append(UInt8(ascii: ":"))
                // The key comes from `members`, so the lookup cannot fail.
                write(members[key] ?? .null, into: &output)
            }
            output.append(UInt8(ascii: "}"))
        }
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)

    private static func writeString(_ string: String, into output: inout [UInt8]) {
        output.append(UInt8(ascii: "\""))
        for byte in string.utf8 {
            switch byte {
            case 0x22: output.append(contentsOf: [0x5C, 0x22])
            case 0x5C: output.append(contentsOf: [0x5C, 0x5C])
            case 0x08: output.append(contentsOf: [0x5C, UInt8(ascii: "b")])
            case 0x09: output.append(contentsOf: [0x5C, UInt8(ascii: "t")])
            case 0x0A: output.append(contentsOf: [0x5C, UInt8(ascii: "n")])
            case 0x0C: output.append(contentsOf: [0x5C, UInt8(ascii: "f")])
            case 0x0D: output.append(contentsOf: [0x5C, UInt8(ascii: "r")])
            case 0x00..<0x20:
                output.append(contentsOf: Array(#"\u00"#.utf8))
                output.append(hexDigits[Int(byte >> 4)])
                output.append(hexDigits[Int(byte & 0x0F)])
            default: output.append(byte)
            }
        }
        output.append(UInt8(ascii: "\""))
    }
}
