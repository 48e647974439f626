import ArgumentParser
import Foundation
import PraxisDomain
import PraxisProtocol
import PraxisServer

/// `praxis protocol …`: the wire specification, as the code defines it.
struct ProtocolTools: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "protocol",
        abstract: "Print the wire specification the code defines; canonicalize, hash and verify sync messages.",
        discussion: """
            Examples:
              praxis protocol openapi > Protocol/openapi.yaml
              praxis protocol schemas --out Protocol/events
              echo '{"b":1.0,"a":2}' | praxis protocol canonicalize
              praxis protocol verify page.json --server-key KEY
            """,
        subcommands: [OpenAPI.self, Schemas.self, Canonicalize.self, Hash.self, Verify.self]
    )

    struct OpenAPI: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "openapi",
            abstract: "Print the OpenAPI 3.1 document of the HTTP API.",
            discussion: "Example:\n  praxis protocol openapi > Protocol/openapi.yaml")

        func run() async throws { print(try OpenAPIDocument.yaml(), terminator: "") }
    }

    struct Schemas: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write the JSON Schema of every event payload, per schema version.",
            discussion: "Example:\n  praxis protocol schemas --out Protocol/events")

        @Option(help: "The folder to write `<type>.v<version>.schema.json` files to.", completion: .directory)
        var out: String

        func run() async throws {
            try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
            for (name, schema) in try EventSchemas.all().sorted(by: { $0.key < $1.key }) {
                let path = (out as NSString).appendingPathComponent(name)
                try Data((schema.prettyPrinted() + "\n").utf8).write(to: URL(fileURLWithPath: path))
                print(path)
            }
        }
    }
}
