import Foundation
import PraxisProtocol
import Testing

/// Seeded random and mutated inputs for the decoders that face the network: the JSON parser,
/// envelopes, signatures and push batches. Nothing may crash or hang; whatever parses must
/// round-trip through its canonical form. `PRAXIS_FUZZ_ITERATIONS` raises the count
/// (`Tools/faults` runs 100,000 in full mode).
@Suite("Decoder fuzzing", .timeLimit(.minutes(5)))
struct DecoderFuzzTests {
    static var iterations: Int {
        ProcessInfo.processInfo.environment["PRAXIS_FUZZ_ITERATIONS"].flatMap(Int.init) ?? 3_000
    }

    /// Valid inputs to start mutations from: an event, a signed event, a push batch, awkward JSON.
    static let samples: [[UInt8]] = {
        let key = DeviceSigningKey(.ed25519)
        let envelope = EventEnvelope(
            id: UUID(uuidString: "01900000-0000-7000-8000-000000000001")!, stream: StreamName("post/abc")!,
            type: EventTypeName("post_created")!, schemaVersion: 2,
            payload: ["title": "Hello 👋", "n": 1.5e300, "tags": ["a", "b"], "nested": ["deep": [[[]]]]],
            metadata: EventMetadata(
                actor: UUID(uuidString: "01900000-0000-7000-8000-000000000002"),
                clientTime: Timestamp(millisecondsSinceEpoch: 1_795_780_800_000), logicalClock: 3))
        let event = AuthoredEvent(envelope)
        let device = "01900000-0000-7000-8000-000000000003"
        let signed = event.signed(with: key, keyID: device)
        var samples = [event.canonicalBytes, CanonicalJSON.encode(signed.json)]
        samples.append(PushBatch(device: device, number: 4, lastCursor: "abc", events: [signed, signed]).body)
        samples.append(Array(#"{"a":[1,-0.0,1e-7,"\u0000\ud83d\ude00",true,false,null],"b":{"":{}}}"#.utf8))
        return samples
    }()

    @Test("the JSON parser: random bytes and mutated documents never crash; what parses round-trips canonically")
    func jsonParser() {
        var random = SeededRandom(seed: 1)
        var parsed = 0
        for iteration in 0..<Self.iterations {
            let input =
                iteration % 4 == 0
                ? (0..<Int.random(in: 0..<64, using: &random)).map { _ in UInt8.random(in: 0...255, using: &random) }
                : Self.mutate(Self.samples[iteration % Self.samples.count], using: &random)
            guard let value = try? JSONParser.parse(input) else { continue }
            parsed += 1
            let canonical = CanonicalJSON.encode(value)
            #expect((try? JSONParser.parse(canonical)) == value, "round trip of \(input)")
            #expect((try? CanonicalJSON.canonicalize(canonical)) == canonical)
        }
        #expect(parsed > Self.iterations / 20, "mutations kept enough inputs parseable to test the round trip")
    }

    @Test("envelopes, signatures and push batches from mutated JSON: typed errors or values that round-trip")
    func structuredDecoders() {
        var random = SeededRandom(seed: 2)
        var decoded = 0
        for iteration in 0..<Self.iterations {
            let input = Self.mutate(Self.samples[iteration % 3], using: &random)
            guard let value = try? JSONParser.parse(input) else { continue }
            if let envelope = try? EventEnvelope(json: value) {
                decoded += 1
                #expect((try? EventEnvelope(json: envelope.json)) == envelope)
            }
            if let event = try? AuthoredEvent(json: value) {
                #expect((try? AuthoredEvent(json: event.json))?.signature == event.signature)
            }
            if let batch = try? PushBatch(json: value) {
                decoded += 1
                #expect((try? PushBatch(json: batch.json)) == batch)
            }
        }
        #expect(decoded > 0, "some mutations still decode, so the round trip was tested")
    }

    @Test("base64url and timestamps from random text: nil, never a crash")
    func smallDecoders() {
        var random = SeededRandom(seed: 3)
        for _ in 0..<Self.iterations {
            let text = JSONValue.randomString(using: &random) + String(Int.random(in: -9...99_999, using: &random))
            if let bytes = Base64URL.decode(text) { #expect(Base64URL.decode(Base64URL.encode(bytes)) == bytes) }
            if let time = Timestamp(rfc3339: text) { #expect(Timestamp(rfc3339: time.rfc3339) == time) }
        }
    }

    /// One to four random edits: flip, insert, delete, duplicate a run, or truncate.
    static func mutate(_ sample: [UInt8], using random: inout SeededRandom) -> [UInt8] {
        var bytes = sample
        for _ in 0..<Int.random(in: 1...4, using: &random) where !bytes.isEmpty {
            let at = Int.random(in: 0..<bytes.count, using: &random)
            switch Int.random(in: 0..<5, using: &random) {
            case 0: bytes[at] ^= UInt8(1) << UInt8.random(in: 0..<8, using: &random)
            case 1: bytes.insert(Array(#"{}[]",:\0-e.9"#.utf8).randomElement(using: &random) ?? 0, at: at)
            case 2: bytes.remove(at: at)
            case 3: bytes.insert(contentsOf: bytes[at..<min(at + 8, bytes.count)], at: at)
            default: bytes.removeSubrange(at...)
            }
        }
        return bytes
    }
}
