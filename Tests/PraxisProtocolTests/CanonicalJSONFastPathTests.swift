import Testing

@testable import PraxisProtocol

/// The canonical encoder's fast paths against the rules they shortcut, spelled out here one
/// character at a time: strings copied in runs, members ordered by UTF-8 bytes where that is the
/// UTF-16 order, integers written without searching for their shortest digits.
@Suite("RFC 8785 canonical JSON: fast paths agree with the rules")
struct CanonicalJSONFastPathTests {
    /// Characters that exercise every branch: escapes, other control characters, ASCII, two-,
    /// three- and four-byte UTF-8, and the code points where UTF-16 order differs from scalar order.
    static let alphabet: [Unicode.Scalar] =
        ["\"", "\\", "/", "a", "Z", "0", " ", "~", "\u{7F}", "é", "€", "\u{E000}", "\u{FFFF}", "😀", "\u{10FFFF}"]
        + (0..<0x20).compactMap { Unicode.Scalar($0) }

    static func randomString(using random: inout SeededRandom) -> String {
        var scalars = String.UnicodeScalarView()
        for _ in 0..<Int.random(in: 0..<24, using: &random) {
            scalars.append(alphabet[Int.random(in: 0..<alphabet.count, using: &random)])
        }
        return String(scalars)
    }

    /// RFC 8785 §3.2.2.2, one scalar at a time.
    static func quoted(_ string: String) -> String {
        var text = "\""
        for scalar in string.unicodeScalars {
            switch scalar {
            case "\"": text += "\\\""
            case "\\": text += "\\\\"
            case "\u{08}": text += "\\b"
            case "\u{09}": text += "\\t"
            case "\u{0A}": text += "\\n"
            case "\u{0C}": text += "\\f"
            case "\u{0D}": text += "\\r"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                text += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: text.unicodeScalars.append(scalar)
            }
        }
        return text + "\""
    }

    @Test("strings are escaped exactly as the rule says, character by character (5,000 random strings)")
    func strings() {
        var random = SeededRandom(seed: 8785)
        for _ in 0..<5_000 {
            let string = Self.randomString(using: &random)
            #expect(String(decoding: CanonicalJSON.encode(.string(string)), as: UTF8.self) == Self.quoted(string))
        }
    }

    @Test("members are ordered by UTF-16 code units (5,000 random pairs sharing prefixes)")
    func memberOrder() {
        var random = SeededRandom(seed: 16)
        for _ in 0..<5_000 {
            let prefix = Self.randomString(using: &random)
            let left = prefix + Self.randomString(using: &random)
            let right = Bool.random(using: &random) ? prefix + Self.randomString(using: &random) : left
            #expect(CanonicalJSON.precedes(left, right) == left.utf16.lexicographicallyPrecedes(right.utf16))
            #expect(CanonicalJSON.precedes(right, left) == right.utf16.lexicographicallyPrecedes(left.utf16))
        }
    }

    @Test("integers are written with the digits the shortest round-trip search finds (20,000 values)")
    func integers() {
        var random = SeededRandom(seed: 53)
        let limit = Int64(1) << 53
        // Beyond 2^53 the shortest digits end in zeros the exact integer does not have (2^60 is
        // written 1152921504606847000).
        var values: [Double] =
            [1, -1, 9, 10, 1e15, 1e16, Double(limit - 1), -Double(limit - 1), Double(limit), 1e21, 1e22]
            + (54..<70).map { Double(sign: .plus, exponent: $0, significand: 1) }
        for _ in 0..<20_000 {
            let magnitude = Int64.random(in: 1..<limit, using: &random) >> Int64.random(in: 0..<53, using: &random)
            values.append(Double(Bool.random(using: &random) ? magnitude : -magnitude))
        }
        for value in values where value != 0 {
            #expect(ECMAScriptNumber.format(value) == ECMAScriptNumber.formatFromShortestDigits(value), "\(value)")
        }
    }
}
