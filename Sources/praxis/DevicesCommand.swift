import ArgumentParser
import Foundation
import PraxisCommands
import PraxisDomain
import PraxisProtocol
import PraxisStore
import PraxisSync

/// `praxis devices …`: enrollment codes and revocations for members' devices.
struct Devices: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Issue enrollment codes for members' devices, and revoke devices.",
        discussion: """
            A device enrolls by sending its public key with a one-time code to POST /v1/sync/enroll \
            (Protocol/PROTOCOL.md §2). Enrollments and revocations are events in the log.

            Examples:
              praxis devices invite 0190f5a0-…-a001 --valid-for 3600
              praxis devices revoke 0190f5a0-…-d001
            """,
        subcommands: [Invite.self, Revoke.self]
    )

    struct Invite: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print a one-time enrollment code for a member's device (the log keeps only its hash).")

        @OptionGroup var data: DataOptions

        @Argument(help: "The member's id.")
        var member: String

        @Option(help: "How long the code is valid, in seconds (60 to 2592000).")
        var validFor: Int64 = 86_400

        @Flag(help: "Print one JSON object instead of text.")
        var json = false

        func validate() throws {
            guard (60...2_592_000).contains(validFor) else { throw ValidationError("--valid-for must be from 60 to 2592000") }
        }

        func run() async throws {
            let runner = try await CommandRunner(data: data)
            let sync = SyncService(
                store: runner.store, commands: runner.service, serverKey: try data.serverKey(create: false) ?? TreeHeadKey())
            let id = try memberID(member)
            let invitation: (code: String, expiresAt: Timestamp)
            do {
                invitation = try await sync.invite(member: id, validity: .seconds(validFor))
            } catch {
                throw CLIFailure(error)
            }
            if json {
                printJSON([
                    "code": .string(invitation.code), "member": .string(member),
                    "expires_at": .string(invitation.expiresAt.rfc3339),
                ])
            } else {
                print("enrollment code for \(member): \(invitation.code)")
                print("valid until \(invitation.expiresAt.rfc3339); shown once")
            }
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Revoke a device: from this log position on, its requests and signatures are refused.")

        @OptionGroup var data: DataOptions

        @Argument(help: "The device's id.")
        var device: String

        func run() async throws {
            guard let id = DeviceID(device) else { throw CLIFailure("'\(device)' is not a device id (a lowercase UUID)") }
            let events = try await CommandRunner(data: data).run(RevokeDevice(device: id), as: .operator)
            print("revoked \(device) at position \(events.first?.position.value ?? 0)")
        }
    }
}
