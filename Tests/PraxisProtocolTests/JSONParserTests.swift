import Foundation
import PraxisProtocol
import Testing

/// The parser's objects and strings: members gathered per object while objects nest, duplicate
/// names found in whichever object holds them, and every string validated as UTF-8 whether it is
/// ASCII, holds other scripts or holds an escape.
@Suite("JSON parser")
struct JSONParserTests {
    @Test("objects nested in objects keep their own members when the same names recur at every depth")
    func nestedObjectsKeepTheirMembers() throws {
        var random = SeededRandom(seed: 7)
        for _ in 0..<400 {
            let value = Self.objectWithRecurringNames(depth: 5, using: &random)
            #expect(try JSONParser.parse(CanonicalJSON.encode(value)) == value)
            // The same text with white space around every token parses to the same value.
            #expect(try JSONParser.parse(Self.spaced(CanonicalJSON.encode(value))) == value)
        }
    }

    @Test("a duplicate member is reported in the object that holds it, at its second name")
    func duplicateMembers() throws {
        // Each text, and where its duplicate's second name starts.
        let cases: [(text: String, second: String)] = [
            (#"{"x":[{"k":1,"y":{"k":0},"k":2}]}"#, #""k":2"#),
            (#"{"k":{"k":{"k":{}}},"j":{"k":[{"k":1},{"k":1,"k":2}]}}"#, #""k":2"#),
            (#"{"a":{"b":1},"c":{"b":2,"d":{"b":3},"b":4}}"#, #""b":4"#),
        ]
        for (text, second) in cases {
            let error = try #require(throws: JSONParseError.self) { try JSONParser.parse(Array(text.utf8)) }
            #expect(error.code == .duplicateKey, "\(text)")
            let offset = try #require(text.range(of: second)).lowerBound.utf16Offset(in: text)
            #expect(error.offset == offset, "\(text): \(error)")
        }
        // Objects side by side, or one inside another, may use the same names.
        let siblings = try JSONParser.parse(Array(#"[{"k":1},{"k":2,"o":{"k":3}}]"#.utf8))
        #expect(siblings == [["k": 1], ["k": 2, "o": ["k": 3]]])
    }

    @Test("strings are validated as UTF-8, with or without an escape, as values and as names")
    func stringsAreValidatedUTF8() throws {
        let valid = "é中😀 plain"
        #expect(try JSONParser.parse(Array(#"["\#(valid)",{"\#(valid)":"a\u00e9"}]"#.utf8)) == [.string(valid), [valid: "aé"]])
        let invalidSequences: [[UInt8]] = [
            [0xC3, 0x28],  // a lead byte followed by ASCII
            [0x80],  // a lone continuation byte
            [0xC0, 0x80],  // an overlong NUL
            [0xED, 0xA0, 0x80],  // an encoded surrogate
            [0xF4, 0x90, 0x80, 0x80],  // beyond U+10FFFF
            [0xFF],
        ]
        for sequence in invalidSequences {
            let quote = UInt8(ascii: "\"")
            let inputs: [[UInt8]] = [
                [quote] + sequence + [quote],
                [quote] + Array("ascii first ".utf8) + sequence + [quote],
                [quote] + Array(#"\n"#.utf8) + sequence + [quote],
                [quote] + sequence + Array(#"\t"#.utf8) + [quote],
                Array(#"{""#.utf8) + sequence + Array(#"":1}"#.utf8),
            ]
            for input in inputs {
                let error = try #require(throws: JSONParseError.self) { try JSONParser.parse(input) }
                #expect(error.code == .invalidUTF8, "\(input)")
            }
        }
    }

    /// `json` with white space around its brackets, braces and commas outside strings.
    static func spaced(_ json: [UInt8]) -> [UInt8] {
        var (spaced, inString, escaped) = ([UInt8](), false, false)
        for byte in json {
            if inString {
                (inString, escaped) = (escaped || byte != UInt8(ascii: "\""), !escaped && byte == UInt8(ascii: "\\"))
                spaced.append(byte)
            } else {
                inString = byte == UInt8(ascii: "\"")
                spaced += Array("{}[],".utf8).contains(byte) ? [0x20, byte, 0x0A, 0x09] : [byte]
            }
        }
        return spaced
    }

    /// An object whose members are named from a few letters, so that an object and the objects
    /// inside it share names.
    static func objectWithRecurringNames(depth: Int, using random: inout SeededRandom) -> JSONValue {
        let names = ["k", "id", "é", "a_b", ""]
        var members: [String: JSONValue] = [:]
        for _ in 0..<Int.random(in: 0...4, using: &random) {
            let name = names[Int.random(in: 0..<names.count, using: &random)]
            switch Int.random(in: 0..<4, using: &random) {
            case 0 where depth > 0: members[name] = objectWithRecurringNames(depth: depth - 1, using: &random)
            case 1 where depth > 0:
                members[name] = .array(
                    (0..<Int.random(in: 0...3, using: &random)).map { _ in
                        objectWithRecurringNames(depth: depth - 1, using: &random)
                    })
            case 2: members[name] = .string(JSONValue.randomString(using: &random))
            default: members[name] = .number(Double(Int.random(in: -1_000...1_000, using: &random)))
            }
        }
        return .object(members)
    }
}
