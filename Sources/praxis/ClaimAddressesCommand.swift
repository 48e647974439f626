import ArgumentParser
import PraxisCommands
import PraxisDomain

extension Members {
    /// `praxis members claim-addresses`: the claims a log written before e-mail addresses were
    /// claimed lacks.
    struct ClaimAddresses: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "claim-addresses",
            abstract: "Claim every member's e-mail address that no member holds yet.",
            discussion: """
                Since 2026-11-30 a member's address is claimed when they are registered or change it, \
                and an address another member holds is refused (email_taken). Members registered \
                before hold no claim; this claims each one's address, once, and lists the members \
                whose address another member holds: give each of them a new address \
                (PATCH /v1/operator/members/{member} with "email") and run it again. Running it \
                again claims nothing twice. Exits 1 when such members remain.

                Example:
                  praxis members claim-addresses --data ./praxis-data
                """)

        @OptionGroup var data: DataOptions

        func run() async throws {
            let runner = try await CommandRunner(data: data)
            let members = try await runner.directory.members()
            let bar = ProgressBar(total: members.count, label: "members")
            var claimed = 0
            var clashes: [String] = []
            for (index, member) in members.enumerated() {
                defer { bar.update(index + 1, detail: "\(claimed) claimed") }
                do {
                    try await runner.service.execute(ClaimMemberEmail(member: member.id), as: .operator)
                    claimed += 1
                } catch .rejected(let rejection) where rejection.code == .invalidState {
                    continue
                } catch .rejected(let rejection) where rejection.code == .emailTaken {
                    clashes.append("\(member.id): \(rejection.message)")
                } catch {
                    throw CLIFailure(error)
                }
            }
            bar.finish()
            print("claimed \(claimed) addresses of \(members.count) members")
            guard clashes.isEmpty else {
                throw CLIFailure(
                    "\(clashes.count) members have an address another member holds; give each a new one (PATCH /v1/operator/members/{member} with \"email\") and run this again:\n"
                        + clashes.joined(separator: "\n"))
            }
        }
    }
}
