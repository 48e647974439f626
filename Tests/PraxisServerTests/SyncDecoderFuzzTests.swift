import Foundation
import PraxisDomain
import PraxisProtocol
import PraxisStore
import Testing

@testable import PraxisSync

/// Seeded mutations of the two things a device sends that the server must parse before it trusts
/// anything: pull cursors and signed request headers. Nothing may crash; a mutated cursor never
/// decodes to a different cursor; a request with altered content is never authenticated.
@Suite("Sync decoder fuzzing", .timeLimit(.minutes(5)))
struct SyncDecoderFuzzTests {
    static var iterations: Int {
        ProcessInfo.processInfo.environment["PRAXIS_FUZZ_ITERATIONS"].flatMap(Int.init) ?? 3_000
    }

    @Test("cursors: mutated and random text decodes to the original or fails with a typed error")
    func cursors() throws {
        var generator = FuzzText(seed: 11)
        let key = CursorKey(TreeHeadKey())
        var numbering = CommunityNumbering()
        for _ in 0..<20 { _ = numbering.number(for: CommunityID(UUID())) }
        let cursor = SyncCursor(
            position: LogPosition(42), issuedAt: LogPosition(40), member: MemberID(UUID()), communities: CommunityBits([2, 17]))
        let text = try #require(cursor.encoded(with: key, numbering: numbering))
        var refused = 0
        for iteration in 0..<Self.iterations {
            let input = iteration % 5 == 0 ? generator.randomText() : generator.mutate(text)
            do {
                let decoded = try SyncCursor(decoding: input, key: key, numbering: numbering)
                #expect(decoded == cursor, "a mutated cursor decoded to another cursor: \(input)")
            } catch {
                refused += 1
            }
        }
        #expect(refused > Self.iterations / 2)
    }

    @Test("signed requests: altered headers, paths or bodies are refused with a typed error")
    func requestSignatures() async {
        var generator = FuzzText(seed: 12)
        let key = DeviceSigningKey(.ed25519)
        let device = DeviceID(UUID())
        var view = SyncView()
        view.devices[device] = DeviceRecord(member: MemberID(UUID()), algorithm: .ed25519, publicKey: key.publicKey)
        let now = Timestamp(Date())
        let authenticator = RequestAuthenticator(clock: { now })
        let names = [
            SyncProtocol.Header.device, SyncProtocol.Header.timestamp, SyncProtocol.Header.nonce,
            SyncProtocol.Header.signature,
        ]
        for iteration in 0..<Self.iterations {
            let body = Array(#"{"protocol":"praxis-sync/1","n":\#(iteration)}"#.utf8)
            let nonce = Base64URL.encode(Array("nonce-\(iteration)-0123456789".utf8))
            let signature = RequestSignature(
                method: "POST", path: "/v1/sync/push", body: body, device: device.description, timestamp: now, nonce: nonce)
            var headers: [String: String] = [:]
            for (name, value) in signature.headers(signedWith: key) { headers[name] = value }
            var request = SignedRequest(method: "POST", path: "/v1/sync/push", body: body, headers: headers)
            switch iteration % 4 {
            case 0: request.path = generator.mutate(request.path)
            case 1: request.body = Array(generator.mutate(String(decoding: body, as: UTF8.self)).utf8)
            default:
                let name = names[iteration % names.count]
                request.headers[name] = generator.mutate(headers[name] ?? "")
            }
            let altered = request.path != "/v1/sync/push" || request.body != body
            do {
                _ = try await authenticator.authenticate(request, view: view)
                #expect(!altered, "an altered request was authenticated: \(request.path)")
            } catch {
                // Refused with a SyncError: typed by the signature of authenticate.
            }
        }
    }
}

/// Mutations of short texts: flips, inserts, deletes, duplicated runs and truncation.
struct FuzzText {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    private mutating func next(_ bound: Int) -> Int {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return Int((z ^ (z >> 31)) % UInt64(max(bound, 1)))
    }

    mutating func mutate(_ text: String) -> String {
        var scalars = Array(text.unicodeScalars)
        let alphabet = Array("A-_=/+.%0z\u{0}é😀 ".unicodeScalars)
        for _ in 0..<(1 + next(3)) where !scalars.isEmpty {
            let at = next(scalars.count)
            switch next(5) {
            case 0: scalars[at] = alphabet[next(alphabet.count)]
            case 1: scalars.insert(alphabet[next(alphabet.count)], at: at)
            case 2: scalars.remove(at: at)
            case 3: scalars.insert(contentsOf: scalars[at..<min(at + 6, scalars.count)], at: at)
            default: scalars.removeSubrange(at...)
            }
        }
        var result = ""
        result.unicodeScalars.append(contentsOf: scalars)
        return result
    }

    mutating func randomText() -> String {
        let alphabet = Array("ABCxyz0189-_=".unicodeScalars)
        var result = ""
        for _ in 0..<next(120) { result.unicodeScalars.append(alphabet[next(alphabet.count)]) }
        return result
    }
}
