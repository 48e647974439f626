import ArgumentParser
import Foundation
import PraxisCommands
import PraxisDomain
import PraxisProtocol
import PraxisStore

/// `praxis members …`: the operator's member administration.
struct Members: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Add, list, deactivate and reactivate members; mint access tokens; claim their addresses.",
        discussion: """
            Examples:
              praxis members add --name "Ada Lovelace" --email ada@example.com \\
                --region EMEA --department R&D
              praxis members list --json
              praxis members token 0190f5a0-8c1e-7b3a-9f00-2a6c1d4e5f60
              praxis members deactivate 0190f5a0-8c1e-7b3a-9f00-2a6c1d4e5f60
            """,
        subcommands: [Add.self, List.self, Deactivate.self, Reactivate.self, Token.self, ClaimAddresses.self]
    )

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add a member; prints the new member's id.",
            discussion: """
                Example:
                  praxis members add --name "Gus Grant" --email gus@acme.example \\
                    --region AMER --department Buying --external --organization "Acme Corp"
                """)

        @OptionGroup var data: DataOptions
        @Option(help: "Display name.") var name: String
        @Option(help: "E-mail address; no other member may hold it.") var email: String
        @Option(help: "Region, such as EMEA.") var region: String
        @Option(help: "Department, such as Engineering.") var department: String
        @Option(help: "Job title.") var title: String?
        @Option(help: "contributor, manager, senior or executive.", transform: OptionValue.oneOf)
        var leadership: LeadershipLevel = .contributor
        @Flag(help: "A customer's or partner's person (a guest).") var external = false
        @Option(help: "The external member's organisation.") var organization: String?
        @Flag(help: "Print JSON.") var json = false

        func run() async throws {
            let runner = try await CommandRunner(data: data, create: true)
            var random = SystemRandomNumberGenerator()
            let id = MemberID(UUID.version7(at: Timestamp(Date()), using: &random))
            try await runner.run(
                RegisterMember(
                    member: id, displayName: name, email: email, region: region, department: department, title: title,
                    leadership: leadership, external: external, organization: organization), as: .operator)
            if json { printJSON(["member": .string(id.description)]) } else { print(id) }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List members.", discussion: "Example:\n  praxis members list --json | jq length")

        @OptionGroup var data: DataOptions
        @Flag(help: "Print JSON.") var json = false

        func run() async throws {
            let members = try await directory(data).members()
            if json {
                printJSON(.array(members.map(Self.json)))
                return
            }
            for member in members {
                let status = member.isActive ? "" : "  (deactivated)"
                let guest = member.isExternal ? "  guest of \(member.organization ?? "?")" : ""
                print(
                    "\(member.id)  \(member.displayName)  \(member.region)/\(member.department)  \(member.leadership.rawValue)\(guest)\(status)"
                )
            }
        }

        static func json(_ member: MemberState) -> JSONValue {
            var fields: [String: JSONValue] = [
                "id": .string(member.id.description), "display_name": .string(member.displayName),
                "email": .string(member.email), "region": .string(member.region), "department": .string(member.department),
                "title": .string(member.title), "leadership": .string(member.leadership.rawValue),
                "external": .bool(member.isExternal), "active": .bool(member.isActive),
            ]
            if let organization = member.organization { fields["organization"] = .string(organization) }
            return .object(fields)
        }
    }

    struct Deactivate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Deactivate a member: they can do nothing until reactivated.",
            discussion: "Example:\n  praxis members deactivate 0190f5a0-8c1e-7b3a-9f00-2a6c1d4e5f60")

        @OptionGroup var data: DataOptions
        @Argument(help: "The member's id.") var member: String

        func run() async throws { try await setActive(member, active: false, data: data) }
    }

    struct Reactivate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Reactivate a deactivated member.",
            discussion: "Example:\n  praxis members reactivate 0190f5a0-8c1e-7b3a-9f00-2a6c1d4e5f60")

        @OptionGroup var data: DataOptions
        @Argument(help: "The member's id.") var member: String

        func run() async throws { try await setActive(member, active: true, data: data) }
    }

    struct Token: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Mint an access token for a member and print it (it is shown only once).",
            discussion: """
                The log keeps only the token's SHA-256. Revoke with DELETE /v1/me/tokens/{id} or \
                DELETE /v1/operator/members/{member}/tokens/{id}.

                Example:
                  TOKEN=$(praxis members token 0190f5a0-8c1e-7b3a-9f00-2a6c1d4e5f60)
                  curl -X POST -H "Authorization: Bearer $TOKEN" \\
                    http://127.0.0.1:8080/v1/communities/…/join
                """)

        @OptionGroup var data: DataOptions
        @Argument(help: "The member's id.") var member: String
        @Flag(help: "Print JSON with the token's id.") var json = false

        func run() async throws {
            let id = try memberID(member)
            let minted = AccessTokenMint.mint(at: Timestamp(Date()))
            try await CommandRunner(data: data).run(
                IssueAccessToken(member: id, token: minted.id, tokenHash: minted.hash), as: .operator)
            if json {
                printJSON(["member": .string(member), "token_id": .string(minted.id.description), "token": .string(minted.token)])
            } else {
                print(minted.token)
            }
        }
    }
}

/// Deactivates or reactivates a member and says so.
private func setActive(_ member: String, active: Bool, data: DataOptions) async throws {
    try await CommandRunner(data: data).run(SetMemberActive(member: try memberID(member), active: active), as: .operator)
    print("\(active ? "reactivated" : "deactivated") \(member)")
}

/// The member and community lists of the log in `data`.
func directory(_ data: DataOptions) async throws -> Directory<AnyEventStore> {
    try await CommandRunner(data: data).directory
}
