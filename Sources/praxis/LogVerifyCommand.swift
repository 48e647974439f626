import ArgumentParser
import PraxisProtocol
import PraxisStore

/// `praxis log verify`: recompute every hash and check the log's invariants.
struct LogVerify: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Check every event of the log against its hash and the log's invariants.",
        discussion: """
            Recomputes each event's SHA-256 from its stored bytes and checks that the bytes are \
            canonical, that positions run without a hole and that stream versions are consecutive. \
            Exits 0 when the log is intact; otherwise exits 1 and names the first bad position and \
            what is wrong with it (hash_mismatch, missing_position, undecodable, non_canonical, \
            stream_version_gap).

            Examples:
              praxis log verify
              praxis log verify --data /var/lib/praxis --json
            """
    )

    @OptionGroup var data: DataOptions

    @Flag(help: "Print the result as JSON.")
    var json = false

    func run() async throws {
        let store = try await data.openLog()
        let showProgress = standardErrorIsTerminal && !json
        let result = try await LogVerifier(store: store).verify { checked, head in
            if showProgress { printError("\rverified \(checked) of \(head.value) events", terminator: "") }
        }
        if showProgress { printError("") }
        if json {
            var value: [String: JSONValue] = [
                "intact": .bool(result.fault == nil), "checked_events": .number(Double(result.checkedEvents)),
                "head": .number(Double(result.head.value)),
            ]
            if let fault = result.fault {
                value["fault"] = [
                    "position": .number(Double(fault.position.value)), "kind": .string(fault.kind.rawValue),
                    "message": .string(fault.message),
                ]
            }
            print(String(decoding: CanonicalJSON.encode(.object(value)), as: UTF8.self))
        } else if let fault = result.fault {
            print("FAULT at position \(fault.position): \(fault.kind.rawValue): \(fault.message)")
            print("\(result.checkedEvents) events before it are intact")
        } else {
            print("intact: \(result.checkedEvents) events verified up to position \(result.head)")
        }
        if result.fault != nil { throw ExitCode.failure }
    }
}
