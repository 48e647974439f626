import Foundation
import PraxisProtocol
import Testing

/// The tools for client implementers (`praxis protocol canonicalize|hash|verify`) and the
/// operator's `praxis devices invite|revoke`, run as the real binary.
@Suite("CLI: sync tools")
struct SyncToolTests {
    static let vectors: JSONValue = {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Protocol/vectors/sync.json")
        do { return try JSONParser.parse(Array(try Data(contentsOf: url))) } catch { fatalError("\(error)") }
    }()

    func file(_ value: JSONValue) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("praxis-\(UUID().uuidString).json").path
        try Data(CanonicalJSON.encode(value)).write(to: URL(fileURLWithPath: path))
        return path
    }

    @Test("canonicalize prints RFC 8785 bytes and refuses input that has no canonical form")
    func canonicalize() throws {
        let ok = try PraxisProcess.run(
            ["protocol", "canonicalize"], input: Data(#"{"b": 1.0, "a": "\u00e9", "c": [1e21, 0.5]}"#.utf8))
        #expect(ok.status == 0)
        #expect(ok.standardOutput == #"{"a":"é","b":1,"c":[1e+21,0.5]}"#)
        for (input, code) in [
            (#"{"a":1,"a":2}"#, "duplicate_key"), ("[1e400]", "number_out_of_range"), (#"["\ud800"]"#, "lone_surrogate"),
        ] {
            let refused = try PraxisProcess.run(["protocol", "canonicalize"], input: Data(input.utf8))
            #expect(refused.status == 1)
            #expect(refused.standardError.contains(code), "\(input): \(refused.standardError)")
        }
    }

    @Test("hash and verify agree with the vectors, and name what is wrong")
    func verify() throws {
        let vector = try #require(Self.vectors["event_signatures"]?.arrayValue?.last)
        let event = try file(try #require(vector["signed_event"]))
        let hashed = try PraxisProcess.run(["protocol", "hash"], input: try Data(contentsOf: URL(fileURLWithPath: event)))
        #expect(hashed.standardOutput.trimmingCharacters(in: .newlines) == vector["hash"]?.stringValue)
        let keys = try #require(Self.vectors["keys"])
        func deviceKey(_ name: String, _ algorithm: String) throws -> String {
            "\(try #require(keys[name]?["device"]?.stringValue))=\(algorithm):\(try #require(keys[name]?["public_key"]?.stringValue))"
        }
        let good = try PraxisProcess.run(["protocol", "verify", event, "--device-key", try deviceKey("device_es256", "es256")])
        #expect(good.status == 0, "\(good.standardOutput)")
        #expect(good.standardOutput.contains("device signature ok"))
        let wrongKey =
            "\(try #require(keys["device_es256"]?["device"]?.stringValue))=ed25519:\(try #require(keys["device_ed25519"]?["public_key"]?.stringValue))"
        let bad = try PraxisProcess.run(["protocol", "verify", event, "--device-key", wrongKey])
        #expect(bad.status == 1)
        #expect(bad.standardOutput.contains("PROBLEM: signed with es256 but the device's key is ed25519"))
        let server = try #require(keys["server"]?["public_key"]?.stringValue)
        let page = try file(try #require(Self.vectors["pull_page"]))
        let pageCheck = try PraxisProcess.run(
            ["protocol", "verify", page, "--server-key", server, "--device-key", try deviceKey("device_ed25519", "ed25519")])
        #expect(pageCheck.status == 0, "\(pageCheck.standardOutput)")
        #expect(pageCheck.standardOutput.hasPrefix("pull page"))
        let forged = try file(try #require(Self.vectors["forged_pull_page"]?["page"]))
        let forgedCheck = try PraxisProcess.run(["protocol", "verify", forged, "--server-key", server])
        #expect(forgedCheck.status == 1)
        #expect(forgedCheck.standardOutput.contains("PROBLEM: server signature"))
        let tampered = try file(try #require(Self.vectors["tampered_event"]?["signed_event"]))
        let tamperedCheck = try PraxisProcess.run(
            ["protocol", "verify", tampered, "--device-key", try deviceKey("device_ed25519", "ed25519")])
        #expect(tamperedCheck.status == 1)
        #expect(tamperedCheck.standardOutput.contains("the signature does not verify"))
    }

    @Test("devices invite prints a code once and records only its hash; unknown members are refused")
    func invite() throws {
        let folder = DataFolder()
        let data = ["--data", folder.path]
        let added = try PraxisProcess.run(
            ["members", "add", "--name", "Ada", "--email", "ada@example.com", "--region", "EMEA", "--department", "R&D"] + data)
        let ada = added.standardOutput.trimmingCharacters(in: .whitespacesAndNewlines)
        let invited = try PraxisProcess.run(["devices", "invite", ada, "--valid-for", "600", "--json"] + data)
        #expect(invited.status == 0, "\(invited.standardError)")
        let answer = try JSONParser.parse(Array(invited.standardOutput.utf8.dropLast()))
        let code = try #require(answer["code"]?.stringValue)
        let log = try PraxisProcess.run(["log", "tail", "--limit", "5", "--json"] + data).standardOutput
        #expect(log.contains("device_invitation_issued"))
        #expect(log.contains(EventHash(hashing: Array(code.utf8)).base64URL))
        #expect(!log.contains(code))
        let unknown = try PraxisProcess.run(["devices", "invite", UUID().uuidString.lowercased()] + data)
        #expect(unknown.status == 1)
        #expect(unknown.standardError.contains("refused (not_found)"))
        let tooLong = try PraxisProcess.run(["devices", "invite", ada, "--valid-for", "99999999"] + data)
        #expect(tooLong.status != 0)
    }
}
