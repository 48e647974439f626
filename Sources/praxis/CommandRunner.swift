import Foundation
import PraxisCommands
import PraxisDomain
import PraxisProtocol
import PraxisStore

/// Runs domain commands from the CLI against the log in the data folder.
struct CommandRunner {
    let store: AnyEventStore
    let service: CommandService<AnyEventStore>

    /// Opens the log (`--store` or `DATA/log.sqlite`); commands that write (`create`) make it when
    /// there is none yet.
    init(data: DataOptions, create: Bool = false) async throws {
        store = try await data.openLog(create: create)
        service = CommandService(store: store)
    }

    var directory: Directory<AnyEventStore> { Directory(store: store, service: service) }

    /// Executes `command`; a rejection becomes a one-line CLI failure naming its code.
    @discardableResult
    func run(_ command: some Command, as actor: Actor) async throws -> [RecordedEvent] {
        do {
            return try await service.execute(command, as: actor)
        } catch {
            throw CLIFailure(error)
        }
    }
}

extension CLIFailure {
    /// A command that did not take effect: `refused (code): message` for a rejection.
    init(_ failure: CommandFailure) {
        switch failure {
        case .rejected(let rejection): self.init("refused (\(rejection.code)): \(rejection.message)")
        default: self.init("\(failure)")
        }
    }
}

/// Parses a member id argument.
func memberID(_ text: String) throws -> MemberID {
    guard let id = MemberID(text) else { throw CLIFailure("'\(text)' is not a member id (a lowercase UUID)") }
    return id
}

/// Prints `value` as one line of canonical JSON.
func printJSON(_ value: JSONValue) {
    print(String(decoding: CanonicalJSON.encode(value), as: UTF8.self))
    fflush(nil)  // a reading script sees each line when it is printed, not when the process ends
}
