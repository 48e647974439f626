import ArgumentParser
import Foundation
import PraxisProtocol
import PraxisStore
import PraxisSync

/// `praxis audit …`: check the log without trusting the operator.
struct Audit: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Verify the log against its signed Merkle tree heads; print tree heads and proofs.",
        discussion: """
            Examples:
              praxis audit verify
              praxis audit tree-head
              praxis audit prove inclusion --position 42 --tree-size 1000
              praxis audit prove consistency --first 500 --second 1000
              praxis audit replay --as-of 12000 --out ./as-of-12000
            """,
        subcommands: [Verify.self, TreeHeadCommand.self, Prove.self, AuditReplay.self]
    )

    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check every event and every signed tree head; exit 1 at the first fault.",
            discussion: """
                Recomputes each event's hash from its stored bytes (as `praxis log verify` does), then \
                recomputes the Merkle tree from the events and compares its root with every signed tree \
                head, whose signatures are checked against the server's public key. Faults: \
                hash_mismatch, missing_position, undecodable, non_canonical, stream_version_gap, \
                root_mismatch (rows reordered or rewritten), forged_tree_head, truncated_log. Last, every \
                device signature is checked against the key the log says the device had at that \
                position (enrolled before, not revoked): author_signature.

                With --url, it checks a running server instead: it streams the server's export \
                (GET /v1/operator/export, with the operator --token) and verifies every event and head \
                against the --public-key you pinned, never against keys the server names.

                Examples:
                  praxis audit verify
                  praxis audit verify --public-key <base64url> --data /var/lib/praxis
                  praxis audit verify --url https://praxis.example.com --token $TOKEN \\
                    --public-key <base64url>
                """)

        @OptionGroup var data: DataOptions
        @Option(
            help: "The server's public key (base64url; write --public-key=KEY if it starts with -); default: DATA/server.key's.",
            transform: { text in
                guard let bytes = Base64URL.decode(text), bytes.count == 32 else {
                    throw ValidationError("must be 32 bytes of base64url")
                }
                return bytes
            })
        var publicKey: [UInt8]?
        @Option(help: "Verify the server at this URL instead of a data folder.") var url: String?
        @Option(help: "The operator token, with --url.") var token: String?

        func validate() throws {
            if url != nil {
                guard publicKey != nil, token != nil else { throw ValidationError("--url needs --public-key and --token") }
            }
        }

        func run() async throws {
            if let url {
                try await RemoteAudit.verify(url: url, token: token ?? "", publicKey: try pinnedKey())
                return
            }
            let store = try await data.openLog()
            let key = try pinnedKey()
            let events = try await LogVerifier(store: store).verify()
            if let fault = events.fault {
                print("FAULT at position \(fault.position): \(fault.kind.rawValue): \(fault.message)")
                throw ExitCode.failure
            }
            let tree = try await TreeVerifier(store: store, publicKey: key).verify()
            if let fault = tree.fault {
                print("FAULT at tree size \(fault.treeSize): \(fault.kind.rawValue): \(fault.message)")
                throw ExitCode.failure
            }
            let authors = try await AuthorSignatureVerifier(store: store).verify()
            if let fault = authors.fault {
                print("FAULT at position \(fault.position): author_signature: \(fault.message)")
                throw ExitCode.failure
            }
            print(
                "intact: \(events.checkedEvents) events, \(tree.checkedHeads) signed tree heads and "
                    + "\(authors.signedEvents) device signatures verified")
        }

        /// The public key heads must be signed with: --public-key, or the folder's own.
        func pinnedKey() throws -> [UInt8] {
            if let publicKey { return publicKey }
            guard let server = try data.serverKey(create: false) else {
                throw CLIFailure("no server key in \(data.directory); pass --public-key")
            }
            return server.publicKey
        }
    }

    struct TreeHeadCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "tree-head", abstract: "Print the latest signed tree head as JSON.",
            discussion: "Example:\n  praxis audit tree-head")

        @OptionGroup var data: DataOptions

        func run() async throws {
            guard let head = try await data.openLog().latestSignedTreeHead() else {
                throw CLIFailure("no tree head is signed yet")
            }
            printJSON(head.json)
        }
    }

    struct Prove: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print an inclusion or consistency proof as JSON.",
            discussion: """
                Examples:
                  praxis audit prove inclusion --position 42 --tree-size 1000
                  praxis audit prove consistency --first 500 --second 1000
                """,
            subcommands: [Inclusion.self, Consistency.self])

        struct Inclusion: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "The audit path of a position in a tree of a given size (default: the whole log).",
                discussion: "Example:\n  praxis audit prove inclusion --position 42 --tree-size 1000")

            @OptionGroup var data: DataOptions
            @Option(help: "The event's position.") var position: Int64
            @Option(help: "The tree size (default: the log's head).") var treeSize: Int64?

            func run() async throws {
                let store = try await data.openLog()
                let head = try await store.head().value
                let size = treeSize ?? head
                do {
                    let proof = try await store.inclusionProof(position: LogPosition(position), treeSize: size)
                    printJSON(MerkleTree.inclusionJSON(position: position, treeSize: size, proof: proof))
                } catch {
                    throw CLIFailure(error.message)
                }
            }
        }

        struct Consistency: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "The proof that a smaller tree is a prefix of a larger one (default: the whole log).",
                discussion: "Example:\n  praxis audit prove consistency --first 500 --second 1000")

            @OptionGroup var data: DataOptions
            @Option(help: "The smaller tree size.") var first: Int64
            @Option(help: "The larger tree size (default: the log's head).") var second: Int64?

            func run() async throws {
                let store = try await data.openLog()
                let head = try await store.head().value
                let size = second ?? head
                do {
                    let proof = try await store.consistencyProof(first: first, second: size)
                    printJSON(MerkleTree.consistencyJSON(first: first, second: size, proof: proof))
                } catch {
                    throw CLIFailure(error.message)
                }
            }
        }
    }
}
