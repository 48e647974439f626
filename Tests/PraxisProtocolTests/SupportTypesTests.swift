import Foundation
import PraxisProtocol
import Testing

@Suite("Timestamps, UUIDs and base64url")
struct SupportTypesTests {
    @Test(
        "timestamps have exactly one wire form",
        arguments: [
            (Int64(0), "1970-01-01T00:00:00.000Z"),
            (1_795_780_800_000, "2026-11-27T12:00:00.000Z"),
            (951_782_400_123, "2000-02-29T00:00:00.123Z"),
            (-1, "1969-12-31T23:59:59.999Z"),
            (253_402_300_799_999, "9999-12-31T23:59:59.999Z"),
            (-62_167_219_200_000, "0000-01-01T00:00:00.000Z"),
        ])
    func timestampForms(milliseconds: Int64, text: String) {
        let time = Timestamp(millisecondsSinceEpoch: milliseconds)
        #expect(time.rfc3339 == text)
        #expect(Timestamp(rfc3339: text) == time)
    }

    @Test(
        "other timestamp forms are refused",
        arguments: [
            "2026-11-27T12:00:00Z", "2026-11-27T12:00:00.000+00:00", "2026-02-30T00:00:00.000Z",
            "2025-02-29T00:00:00.000Z", "2026-13-01T00:00:00.000Z", "2026-11-27T24:00:00.000Z",
            "2026-11-27 12:00:00.000Z", "2026-11-27T12:00:00.0000Z", "２026-11-27T12:00:00.000Z", "",
        ])
    func rejectedTimestamps(text: String) {
        #expect(Timestamp(rfc3339: text) == nil)
    }

    @Test("every millisecond round-trips through its wire form")
    func timestampRoundTrip() {
        var random = SeededRandom(seed: 7)
        for _ in 0..<5000 {
            let time = Timestamp(millisecondsSinceEpoch: Int64.random(in: Timestamp.range, using: &random))
            #expect(Timestamp(rfc3339: time.rfc3339) == time)
        }
    }

    @Test("version 7 UUIDs carry their time, version and variant, and sort by time")
    func uuidVersion7() throws {
        var random = SeededRandom(seed: 1)
        let earlier = UUID.version7(at: Timestamp(millisecondsSinceEpoch: 1_795_780_800_000), using: &random)
        let later = UUID.version7(at: Timestamp(millisecondsSinceEpoch: 1_795_780_800_001), using: &random)
        #expect(earlier.wireString.hasPrefix("01a21ce0-6e00-7"))
        #expect(["8", "9", "a", "b"].contains(earlier.wireString.dropFirst(19).prefix(1)))
        #expect(earlier.wireString < later.wireString)
        #expect(UUID(wireString: earlier.wireString) == earlier)
        #expect(UUID(wireString: earlier.uuidString) == nil)
    }

    @Test("base64url round-trips and refuses padding and the standard alphabet")
    func base64URL() {
        var random = SeededRandom(seed: 3)
        for length in 0..<70 {
            let bytes = (0..<length).map { _ in UInt8.random(in: 0...255, using: &random) }
            let text = Base64URL.encode(bytes)
            #expect(!text.contains("=") && !text.contains("+") && !text.contains("/"))
            #expect(Base64URL.decode(text) == bytes)
        }
        #expect(Base64URL.decode("AA==") == nil)
        #expect(Base64URL.decode("+/") == nil)
        #expect(Base64URL.decode("A") == nil)
    }

    @Test("base64url agrees with Foundation's base64 (alphabet swapped, padding dropped) on random bytes and text")
    func base64URLAgreesWithFoundation() {
        var random = SeededRandom(seed: 11)
        for _ in 0..<3000 {
            let bytes = (0..<Int.random(in: 0..<90, using: &random)).map { _ in UInt8.random(in: 0...255, using: &random) }
            let expected = Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-")
                .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
            #expect(Base64URL.encode(bytes) == expected)
        }
        // Text from the alphabet with some padding, standard-alphabet and other characters mixed in.
        let characters = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_-_AQgw=+/ \n.é")
        for _ in 0..<3000 {
            let text = String((0..<Int.random(in: 0..<24, using: &random)).map { _ in characters.randomElement(using: &random)! })
            #expect(Base64URL.decode(text) == foundationDecode(text), "\(text)")
        }
    }

    /// The reference: Foundation's decoder, refusing what base64url without padding does not allow.
    private func foundationDecode(_ text: String) -> [UInt8]? {
        guard !text.contains("="), !text.contains("+"), !text.contains("/") else { return nil }
        var standard = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        switch standard.count % 4 {
        case 2: standard += "=="
        case 3: standard += "="
        case 1: return nil
        default: break
        }
        return Data(base64Encoded: standard).map(Array.init)
    }

    @Test("UUID wire strings agree with Foundation's lowercased form; only that form parses")
    func uuidWireStringAgreesWithFoundation() {
        var random = SeededRandom(seed: 5)
        for _ in 0..<3000 {
            let uuid = UUID.version7(
                at: Timestamp(millisecondsSinceEpoch: Int64.random(in: 0...4_000_000_000_000, using: &random)), using: &random)
            let expected = uuid.uuidString.lowercased()
            #expect(uuid.wireString == expected)
            #expect(UUID(wireString: expected) == uuid)
            // One character changed, dropped or added: parses exactly when Foundation's reading does.
            var text = Array(expected)
            let index = Int.random(in: 0..<text.count, using: &random)
            switch Int.random(in: 0..<3, using: &random) {
            case 0: text[index] = Array("0123456789abcdefABCDEFgz-_ ")[Int.random(in: 0..<27, using: &random)]
            case 1: text.remove(at: index)
            default: text.insert(Array("0a-F")[Int.random(in: 0..<4, using: &random)], at: index)
            }
            let mutated = String(text)
            let reference = UUID(uuidString: mutated).flatMap { $0.uuidString.lowercased() == mutated ? $0 : nil }
            #expect(UUID(wireString: mutated) == reference, "\(mutated)")
        }
    }

    @Test("stream names: exactly the names the rule allows are accepted, on random text near the rule")
    func streamNames() {
        var random = SeededRandom(seed: 5)
        let alphabet = Array("ab/z-_.:/A9é /\"")
        var accepted = 0
        for _ in 0..<5000 {
            let length =
                Int.random(in: 0..<8, using: &random) == 0
                ? Int.random(in: 195...205, using: &random) : Int.random(in: 0..<12, using: &random)
            // Long names from letters only, so that the length limit decides.
            let pool = length > 100 ? Array("ab") : alphabet
            let name = String((0..<length).map { _ in pool[Int.random(in: 0..<pool.count, using: &random)] })
            let bytes = Array(name.utf8)
            let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-.:/".utf8)
            let expected =
                (1...200).contains(bytes.count) && (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(bytes[0])
                && bytes.allSatisfy(allowed.contains) && bytes.last != UInt8(ascii: "/")
                && !name.split(separator: "/", omittingEmptySubsequences: false).contains { $0.isEmpty }
            #expect((StreamName(name) != nil) == expected, "\(name)")
            if expected { accepted += 1 }
        }
        #expect(accepted > 200, "the cases hold valid names as well as invalid ones")
    }
}
