import ArgumentParser
import Foundation
import PraxisCommands
import PraxisDomain
import PraxisProtocol

/// `praxis communities …`: create and list communities.
struct Communities: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Create and list communities.",
        discussion: """
            Examples:
              praxis communities create --owner 0190f5a0-… --name "Swift guild" \\
                --kind practice --visibility open --tags swift,ios
              praxis communities list --json
            """,
        subcommands: [Create.self, List.self]
    )

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create a community on behalf of its first owner; prints its id.",
            discussion: """
                The owner must be an active internal member; the same rules apply as when they create \
                it themselves through the API.

                Example:
                  praxis communities create --owner 0190f5a0-… --name "Onboarding 2026" \\
                    --kind learning --visibility closed
                """)

        @OptionGroup var data: DataOptions
        @Option(help: "The member who will own it.") var owner: String
        @Option(help: "Name.") var name: String
        @Option(help: "practice, learning or external.", transform: OptionValue.oneOf) var kind: CommunityKind
        @Option(help: "open, closed or secret.", transform: OptionValue.oneOf)
        var visibility: CommunityVisibility
        @Option(help: "Description.") var description: String?
        @Option(help: "Comma-separated topic tags.") var tags: String?
        @Flag(help: "Print JSON.") var json = false

        func run() async throws {
            var random = SystemRandomNumberGenerator()
            let id = CommunityID(UUID.version7(at: Timestamp(Date()), using: &random))
            let tagList = tags?.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            try await CommandRunner(data: data, create: true).run(
                CreateCommunity(
                    community: id, name: name, description: description, kind: kind, visibility: visibility, tags: tagList),
                as: .member(try memberID(owner)))
            if json { printJSON(["community": .string(id.description)]) } else { print(id) }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List communities with their kind, visibility and size.",
            discussion: "Example:\n  praxis communities list --json | jq '.[] | select(.kind == \"learning\")'")

        @OptionGroup var data: DataOptions
        @Flag(help: "Print JSON.") var json = false

        func run() async throws {
            let communities = try await directory(data).communities()
            if json {
                printJSON(.array(communities.map(Self.json)))
                return
            }
            for community in communities {
                let archived = community.isArchived ? "  (archived)" : ""
                print(
                    "\(community.id)  \(community.name)  \(community.kind.rawValue)/\(community.visibility.rawValue)  \(community.members.count) members\(archived)"
                )
            }
        }

        static func json(_ community: CommunityState) -> JSONValue {
            [
                "id": .string(community.id.description), "name": .string(community.name),
                "description": .string(community.description), "kind": .string(community.kind.rawValue),
                "visibility": .string(community.visibility.rawValue), "tags": .array(community.tags.map { .string($0) }),
                "archived": .bool(community.isArchived), "members": .number(Double(community.members.count)),
                "owners": .array(community.owners.sorted().map { .string($0.description) }),
            ]
        }
    }
}
