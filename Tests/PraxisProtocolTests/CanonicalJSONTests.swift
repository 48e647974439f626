import Foundation
import PraxisProtocol
import Testing

@Suite("RFC 8785 canonical JSON")
struct CanonicalJSONTests {
    @Test("canonical form of each vector input", arguments: Vectors.canonicalization.cases)
    func canonicalForm(of vector: Vectors.Canonicalization.Case) throws {
        let canonical = try CanonicalJSON.canonicalize(Array(vector.input.utf8))
        #expect(String(decoding: canonical, as: UTF8.self) == vector.canonical)
        #expect(CanonicalJSON.isCanonical(canonical))
    }

    @Test("numbers are written as ECMAScript writes them (RFC 8785 Appendix B and 400 random doubles)")
    func numberForms() throws {
        let numbers = Vectors.canonicalization.numbers
        #expect(numbers.count >= 400)
        for vector in numbers {
            let bits = try #require(UInt64(vector.bits, radix: 16))
            let value = Double(bitPattern: bits)
            #expect(ECMAScriptNumber.format(value) == vector.canonical, "bits \(vector.bits)")
            // The canonical text parses back to the very same double.
            let parsed = try JSONParser.parse(Array(vector.canonical.utf8))
            #expect(parsed.numberValue == value || (value == 0 && parsed.numberValue == 0), "bits \(vector.bits)")
        }
    }

    @Test("inputs without a canonical form are rejected with their code", arguments: Vectors.canonicalization.rejections)
    func rejection(_ vector: Vectors.Canonicalization.Rejection) {
        #expect(vector.bytes.isEmpty == (vector.input == ""), "the vector's bytes decode")
        do {
            let value = try JSONParser.parse(vector.bytes)
            Issue.record("accepted \(value)")
        } catch {
            #expect(error.code.description == vector.error)
        }
    }

    @Test("encoding is stable: canonicalizing canonical bytes changes nothing")
    func idempotent() throws {
        var random = SeededRandom(seed: 42)
        for _ in 0..<300 {
            let value = JSONValue.random(depth: 4, using: &random)
            let once = CanonicalJSON.encode(value)
            let twice = try CanonicalJSON.canonicalize(once)
            #expect(once == twice)
            #expect(try JSONParser.parse(once) == value)
        }
    }

    @Test("members are ordered by UTF-16 code units, not by Unicode scalars")
    func utf16Ordering() {
        // U+1F600 is D83D DE00 in UTF-16, so it sorts before U+FB33 although its scalar is larger.
        #expect(CanonicalJSON.precedes("\u{1F600}", "\u{FB33}"))
        #expect(!CanonicalJSON.precedes("\u{FB33}", "\u{1F600}"))
        #expect(CanonicalJSON.precedes("B", "a"))
    }
}
