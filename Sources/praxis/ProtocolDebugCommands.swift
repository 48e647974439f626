import ArgumentParser
import Foundation
import PraxisProtocol

/// `praxis protocol canonicalize`: JSON on stdin, its RFC 8785 bytes on stdout.
struct Canonicalize: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print the RFC 8785 canonical bytes of the JSON on standard input.",
        discussion: """
            Input with no canonical form (duplicate keys, numbers beyond IEEE 754 double, lone \
            surrogates, invalid UTF-8) is refused with its error code and exit status 1.

            Example:
              echo '{"b": 1.0, "a": "\\u00e9"}' | praxis protocol canonicalize
            """)

    func run() async throws {
        FileHandle.standardOutput.write(Data(CanonicalJSON.encode(try readJSON(FileHandle.standardInput.readDataToEndOfFile()))))
    }
}

/// `praxis protocol hash`: the SHA-256 an event is known by.
struct Hash: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print the event hash (SHA-256 of the canonical bytes, base64url) of the JSON on standard input.",
        discussion: """
            A `signature` member at the top is left out, as it is when events are hashed and signed.

            Example:
              praxis protocol hash < event.json
            """)

    func run() async throws {
        guard case .object(let members) = try readJSON(FileHandle.standardInput.readDataToEndOfFile()) else {
            throw CLIFailure("the input is not a JSON object")
        }
        let bytes = SignedObject.signedBytes(of: members)
        print(EventHash(hashing: bytes).base64URL)
    }
}

/// `praxis protocol verify FILE`: what is wrong with a sync message.
struct Verify: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check an event, a push batch, a push answer, a pull page or a receipt: hashes and signatures.",
        discussion: """
            Says which kind of message the file holds and exactly what is wrong; exit status 1 when \
            anything is. Signatures are checked only with the keys given.

            Examples:
              praxis protocol verify event.json --device-key 0190…d001=ed25519:-jF2Ju13…
              praxis protocol verify page.json \\
                --server-key "$(jq -r .server_key.public_key handshake.json)"
            """)

    @Argument(help: "The JSON file (`-` for standard input).", completion: .file())
    var file: String

    @Option(name: .customLong("device-key"), help: "A device key: DEVICE=ALGORITHM:PUBLIC_KEY (base64url). Repeatable.")
    var deviceKeys: [String] = []

    @Option(help: "The server's Ed25519 public key (base64url), for pages, answers and receipts.")
    var serverKey: String?

    func run() async throws {
        var keys: [String: (DeviceKeyAlgorithm, [UInt8])] = [:]
        for text in deviceKeys {
            let parts = text.split(separator: "=", maxSplits: 1).map(String.init)
            let key = parts.count == 2 ? parts[1].split(separator: ":", maxSplits: 1).map(String.init) : []
            guard key.count == 2, let algorithm = DeviceKeyAlgorithm(rawValue: key[0]), let bytes = Base64URL.decode(key[1]),
                algorithm.isValidPublicKey(bytes)
            else { throw CLIFailure("--device-key '\(text)' is not DEVICE=ed25519|es256:PUBLIC_KEY with a valid key") }
            keys[parts[0]] = (algorithm, bytes)
        }
        let server = try serverKey.map { text in
            guard let bytes = Base64URL.decode(text), DeviceKeyAlgorithm.ed25519.isValidPublicKey(bytes) else {
                throw CLIFailure("--server-key is not a base64url Ed25519 public key")
            }
            return bytes
        }
        let data: Data
        if file == "-" {
            data = FileHandle.standardInput.readDataToEndOfFile()
        } else {
            guard let contents = FileManager.default.contents(atPath: file) else { throw CLIFailure("cannot read \(file)") }
            data = contents
        }
        var bytes = Array(data)
        if bytes.last == 0x0A { bytes.removeLast() }
        let report = SyncMessageCheck.check(bytes, deviceKeys: keys, serverKey: server)
        print("\(report.kind)")
        for note in report.notes { print("  ok/note: \(note)") }
        for problem in report.problems { print("  PROBLEM: \(problem)") }
        guard report.problems.isEmpty else { throw CLIFailure("\(report.problems.count) problem(s) found") }
    }
}

/// Parses JSON strictly, as the wire does; a CLI failure with the parser's code otherwise.
private func readJSON(_ data: Data) throws -> JSONValue {
    var bytes = Array(data)
    while let last = bytes.last, last == 0x0A || last == 0x0D { bytes.removeLast() }
    do {
        return try JSONParser.parse(bytes)
    } catch {
        throw CLIFailure("no canonical form (\(error.code)): \(error.message)")
    }
}
