import Foundation
import GRDB
import PraxisProjections
import PraxisProtocol
import PraxisStore
import Testing

@Suite("praxis members, communities, demo")
struct AdministrationCommandTests {
    @Test("members add, list, token, deactivate; communities create and list")
    func administration() throws {
        let folder = DataFolder()
        let data = ["--data", folder.path]
        let added = try PraxisProcess.run(
            ["members", "add", "--name", "Ada", "--email", "ada@example.com", "--region", "EMEA", "--department", "R&D"] + data)
        #expect(added.status == 0, "\(added.standardError)")
        let ada = added.standardOutput.trimmingCharacters(in: .whitespacesAndNewlines)
        let refused = try PraxisProcess.run(
            ["members", "add", "--name", "Gus", "--email", "gus@acme", "--region", "AMER", "--department", "B"] + data)
        #expect(refused.status == 1)
        #expect(refused.standardError.contains("refused (invalid_field): email"))
        let twin = try PraxisProcess.run(
            ["members", "add", "--name", "Ada Two", "--email", "ADA@example.com", "--region", "EMEA", "--department", "R&D"]
                + data)
        #expect(twin.status == 1)
        #expect(twin.standardError.contains("refused (email_taken): the e-mail address ada@example.com belongs to member \(ada)"))
        let community = try PraxisProcess.run(
            [
                "communities", "create", "--owner", ada, "--name", "Swift guild", "--kind", "practice", "--visibility", "open",
                "--tags", "swift, ios", "--json",
            ] + data)
        #expect(community.status == 0, "\(community.standardError)")
        let communities = try JSONParser.parse(
            Array(try PraxisProcess.run(["communities", "list", "--json"] + data).standardOutput.utf8.dropLast()))
        #expect(communities.arrayValue?.count == 1)
        #expect(communities.arrayValue?.first?["tags"] == ["swift", "ios"])
        #expect(communities.arrayValue?.first?["owners"] == .array([.string(ada)]))
        let token = try PraxisProcess.run(["members", "token", ada] + data)
        #expect(Base64URL.decode(token.standardOutput.trimmingCharacters(in: .whitespacesAndNewlines))?.count == 32)
        #expect(try PraxisProcess.run(["members", "deactivate", ada] + data).status == 0)
        let again = try PraxisProcess.run(["members", "deactivate", ada] + data)
        #expect(again.status == 1)
        #expect(again.standardError.contains("invalid_state"))
        let members = try JSONParser.parse(
            Array(try PraxisProcess.run(["members", "list", "--json"] + data).standardOutput.utf8.dropLast()))
        #expect(members.arrayValue?.first?["active"] == false)
        #expect(try PraxisProcess.run(["members", "deactivate", "not-an-id"] + data).status == 1)
    }

    @Test("demo builds an organisation with many event types, and refuses a log that is not empty")
    func demo() throws {
        let folder = DataFolder()
        let data = ["--data", folder.path]
        let built = try PraxisProcess.run(["demo", "--members", "60", "--communities", "6", "--days", "14"] + data)
        #expect(built.status == 0, "\(built.standardError)")
        #expect(built.standardOutput.contains("built 60 members and 6 communities over 14 days"))
        let stats = try JSONParser.parse(
            Array(try PraxisProcess.run(["log", "stats", "--json"] + data).standardOutput.utf8.dropLast()))
        #expect((stats["counts_by_type"]?.objectValue?.count ?? 0) >= 20)
        let again = try PraxisProcess.run(["demo", "--members", "60", "--communities", "6", "--days", "14"] + data)
        #expect(again.status == 1)
        #expect(again.standardError.contains("not empty"))
        #expect(try PraxisProcess.run(["log", "verify"] + data).status == 0)
    }
}

@Suite("praxis projections")
struct ProjectionsCommandTests {
    @Test("status, rebuild --all and digest: the same digests before and after, generations moved on")
    func projections() throws {
        let folder = DataFolder()
        let data = ["--data", folder.path]
        #expect(try PraxisProcess.run(["demo", "--members", "40", "--communities", "5", "--days", "10"] + data).status == 0)
        let before = try PraxisProcess.run(["projections", "digest"] + data)
        #expect(before.status == 0, "\(before.standardError)")
        #expect(before.standardOutput.split(separator: "\n").count == ProjectionCatalog.all.count)
        let rebuilt = try PraxisProcess.run(["projections", "rebuild", "--all"] + data)
        #expect(rebuilt.status == 0, "\(rebuilt.standardError)")
        #expect(rebuilt.standardOutput.contains("events/s"))
        #expect(try PraxisProcess.run(["projections", "digest"] + data).standardOutput == before.standardOutput)
        let status = try JSONParser.parse(
            Array(try PraxisProcess.run(["projections", "status", "--json"] + data).standardOutput.utf8.dropLast()))
        #expect(status.arrayValue?.allSatisfy { $0["generation"] == 2 && $0["lag"] == 0 } == true)
        #expect(try PraxisProcess.run(["projections", "cancel", "community_feed"] + data).status == 0)
        #expect(try PraxisProcess.run(["projections", "rebuild", "nope"] + data).status == 1)
        #expect(try PraxisProcess.run(["projections", "rebuild"] + data).status == 64)
    }
}

@Suite("praxis audit")
struct AuditCommandTests {
    @Test("a server key or operator token file that cannot be read is reported, never replaced")
    func unreadableKeysAreKept() throws {
        let folder = DataFolder()
        try FileManager.default.createDirectory(at: folder.url, withIntermediateDirectories: true)
        let garbage = Data([0xFF, 0xFE, 0x00, 0x80, 0xC3])
        let keyFile = folder.url.appendingPathComponent("server.key")
        try garbage.write(to: keyFile)
        let refused = try PraxisProcess.run([
            "demo", "--members", "10", "--communities", "1", "--days", "1", "--data", folder.path,
        ])
        #expect(refused.status == 1)
        #expect(refused.standardError.contains("does not hold a server key"), "\(refused.standardError)")
        #expect(try Data(contentsOf: keyFile) == garbage)
        #expect(!FileManager.default.fileExists(atPath: folder.logPath), "no log is made without its key")

        try FileManager.default.removeItem(at: keyFile)
        #expect(
            try PraxisProcess.run(["demo", "--members", "10", "--communities", "1", "--days", "1", "--data", folder.path]).status
                == 0)
        let tokenFile = folder.url.appendingPathComponent("operator.token")
        try garbage.write(to: tokenFile)
        // A server that started would run on; it is stopped after 30 s, and fails the test then.
        let serve = try PraxisProcess.run(["serve", "--data", folder.path, "--port", "0"], timeLimit: 30)
        #expect(serve.status != 0)
        #expect(serve.standardError.contains("cannot be read as an operator token"), "\(serve.standardError)")
        #expect(try Data(contentsOf: tokenFile) == garbage)
    }

    @Test("verify passes a demo log and names a consistent rewrite; prove prints verifiable proofs")
    func audit() async throws {
        let folder = DataFolder()
        let data = ["--data", folder.path]
        #expect(try PraxisProcess.run(["demo", "--members", "30", "--communities", "3", "--days", "5"] + data).status == 0)
        let intact = try PraxisProcess.run(["audit", "verify"] + data)
        #expect(intact.status == 0, "\(intact.standardOutput)\(intact.standardError)")
        #expect(intact.standardOutput.contains("signed tree heads and 0 device signatures verified"))
        let head = try JSONParser.parse(
            Array(try PraxisProcess.run(["audit", "tree-head"] + data).standardOutput.utf8.dropLast()))
        let size = try #require(head["tree_size"]?.integerValue)
        let proof = try JSONParser.parse(
            Array(
                try PraxisProcess.run(["audit", "prove", "inclusion", "--position", "3"] + data).standardOutput.utf8.dropLast()))
        #expect(proof["tree_size"]?.integerValue == size)
        #expect((proof["proof"]?.arrayValue?.count ?? 0) > 0)
        let beyond = try PraxisProcess.run(["audit", "prove", "consistency", "--first", "\(size + 5)"] + data)
        #expect(beyond.status == 1)
        // Rewrite an event and its hash consistently: only the signed tree heads can tell.
        let store = try SQLiteEventStore(path: folder.logPath, options: .init(createIfMissing: false))
        let event = try #require(try await store.read(from: 2, limit: 1).first)
        try store.close()
        var envelope = event.envelope
        envelope.payload["display_name"] = "Mallory"
        let forged = AuthoredEvent(envelope)
        let queue = try DatabaseQueue(path: folder.logPath)
        try await queue.write { db in
            try db.execute(sql: "DROP TRIGGER events_are_append_only_update")
            try db.execute(
                sql: "UPDATE events SET canonical = ?, hash = ? WHERE position = 2",
                arguments: [Data(forged.canonicalBytes), Data(forged.hash.bytes)])
        }
        try queue.close()
        #expect(try PraxisProcess.run(["log", "verify"] + data).status == 0, "the per-event check cannot see it")
        let caught = try PraxisProcess.run(["audit", "verify"] + data)
        #expect(caught.status == 1)
        #expect(caught.standardOutput.contains("root_mismatch"))
    }

    @Test("claim-addresses claims what a log written before claims lacks, once, and lists the members who share one")
    func claimAddresses() async throws {
        let folder = DataFolder()
        let data = ["--data", folder.path]
        // Three members registered as servers did before addresses were claimed; two share one.
        let members = (0..<3).map { _ in UUID() }.sorted { $0.wireString < $1.wireString }
        let store = try SQLiteEventStore(path: folder.logPath)
        _ = try await store.append(
            zip(members, ["pat@example.com", "sam@example.com", "pat@example.com"]).map { member, email in
                AuthoredEvent(
                    EventEnvelope(
                        id: UUID(), stream: StreamName("member/\(member.wireString)")!, type: EventTypeName("member_registered")!,
                        payload: [
                            "member": .string(member.wireString), "display_name": "Pat", "email": .string(email),
                            "region": "EMEA",
                            "department": "R&D", "title": "", "leadership": "contributor", "external": false,
                        ]))
            })
        try store.close()
        for claimed in [2, 0] {
            let run = try PraxisProcess.run(["members", "claim-addresses"] + data)
            #expect(run.status == 1)
            #expect(run.standardOutput == "claimed \(claimed) addresses of 3 members\n")
            #expect(
                run.standardError.contains(
                    "\(members[2].wireString): the e-mail address pat@example.com belongs to member \(members[0].wireString)"),
                "\(run.standardError)")
            #expect(run.standardError.contains("1 members have an address another member holds"))
        }
        let stats = try PraxisProcess.run(["log", "stats", "--json"] + data)
        let counts = try JSONParser.parse(Array(stats.standardOutput.utf8.dropLast()))["counts_by_type"]
        #expect(counts?["email_claimed"]?.integerValue == 2, "\(stats.standardOutput)")
        let twin = try PraxisProcess.run(
            ["members", "add", "--name", "Pat Two", "--email", "sam@example.com", "--region", "EMEA", "--department", "R&D"]
                + data)
        #expect(twin.status == 1)
        #expect(twin.standardError.contains("refused (email_taken)"))
    }
}

@Suite("praxis log export and import")
struct ExportImportCommandTests {
    @Test("an export never replaces a file, the log's own included, and leaves nothing but its file")
    func exportNeverReplaces() throws {
        let source = DataFolder()
        #expect(
            try PraxisProcess.run(["demo", "--members", "20", "--communities", "2", "--days", "3", "--data", source.path]).status
                == 0)
        let log = try Data(contentsOf: URL(fileURLWithPath: source.logPath))
        let onTheLog = try PraxisProcess.run(["log", "export", "--out", source.logPath, "--data", source.path])
        #expect(onTheLog.status == 1)
        #expect(
            onTheLog.standardError
                == "praxis: \(source.logPath) exists; an export is written to a new file and never replaces one\n")
        #expect(try Data(contentsOf: URL(fileURLWithPath: source.logPath)) == log)
        #expect(try PraxisProcess.run(["log", "verify", "--data", source.path]).status == 0)

        let folder = source.url.appendingPathComponent("exports")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let file = folder.appendingPathComponent("log.ndjson")
        #expect(try PraxisProcess.run(["log", "export", "--out", file.path, "--data", source.path]).status == 0)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["log.ndjson"])
        let exported = try Data(contentsOf: file)
        let again = try PraxisProcess.run(["log", "export", "--out", file.path, "--up-to", "3", "--data", source.path])
        #expect(again.status == 1)
        #expect(try Data(contentsOf: file) == exported, "the earlier export is kept whole")
    }

    @Test("import refuses a folder that has a log, an empty one too, and writes nothing beside it")
    func importNeedsAFolderWithoutALog() async throws {
        let source = DataFolder()
        let store = try SQLiteEventStore(path: source.logPath)
        _ = try await store.append(
            (0..<3).map { index in
                AuthoredEvent(
                    EventEnvelope(
                        id: UUID(), stream: StreamName("community/1")!, type: EventTypeName("note_added")!,
                        payload: ["n": .number(Double(index))]))
            })
        try store.close()
        let file = source.url.appendingPathExtension("ndjson")
        defer { try? FileManager.default.removeItem(at: file) }
        #expect(try PraxisProcess.run(["log", "export", "--out", file.path, "--data", source.path]).status == 0)
        let target = DataFolder()
        let empty = try SQLiteEventStore(path: target.logPath)
        try empty.close()
        let refused = try PraxisProcess.run(["log", "import", file.path, "--data", target.path])
        #expect(refused.status == 1)
        #expect(
            refused.standardError
                == "praxis: \(target.path) has an empty log already; import into a folder without one (or delete \(target.logPath) and its -wal and -shm files)\n"
        )
        #expect(
            try FileManager.default.contentsOfDirectory(atPath: target.path).allSatisfy { $0.hasPrefix("log.sqlite") },
            "nothing was written beside the empty log")
        let kept = try SQLiteEventStore(path: target.logPath, options: .init(createIfMissing: false))
        #expect(try await kept.head() == .start)
        try kept.close()
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: target.logPath + suffix) }
        let imported = try PraxisProcess.run(["log", "import", file.path, "--data", target.path])
        #expect(imported.status == 0, "\(imported.standardError)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: target.path) == ["log.sqlite"], "no hidden file left")
    }

    @Test("export → import → export is byte-identical; the copy verifies; tampered files are refused and nothing is written")
    func roundTrip() throws {
        let source = DataFolder()
        let copy = DataFolder()
        #expect(
            try PraxisProcess.run(["demo", "--members", "30", "--communities", "3", "--days", "5", "--data", source.path]).status
                == 0)
        let first = source.url.appendingPathExtension("ndjson")
        let second = copy.url.appendingPathExtension("ndjson")
        defer { try? FileManager.default.removeItem(at: first); try? FileManager.default.removeItem(at: second) }
        #expect(try PraxisProcess.run(["log", "export", "--out", first.path, "--data", source.path]).status == 0)
        let imported = try PraxisProcess.run(["log", "import", first.path, "--data", copy.path])
        #expect(imported.status == 0, "\(imported.standardError)")
        #expect(try PraxisProcess.run(["log", "export", "--out", second.path, "--data", copy.path]).status == 0)
        #expect(try Data(contentsOf: first) == Data(contentsOf: second))
        let key = try String(contentsOf: source.url.appendingPathComponent("server.key"), encoding: .utf8)
        let rawKey = try #require(Base64URL.decode(key.trimmingCharacters(in: .newlines)))
        let publicKey = Base64URL.encode(try #require(TreeHeadKey(rawRepresentation: rawKey)).publicKey)
        let verified = try PraxisProcess.run(["audit", "verify", "--public-key=\(publicKey)", "--data", copy.path])
        #expect(verified.status == 0, "\(verified.standardOutput)")
        #expect(
            try PraxisProcess.run(["log", "import", first.path, "--data", copy.path]).standardError.contains(
                "already holds a log"))

        // Tampered exports: each refused with its line, and no log is created.
        let lines = try String(contentsOf: first, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false).map(
            String.init)
        let eventLines = lines.indices.filter { lines[$0].contains(#""kind":"event""#) }
        let headLine = try #require(lines.indices.first { lines[$0].contains(#""kind":"tree_head""#) })
        var altered = lines
        altered[eventLines[3]] = altered[eventLines[3]].replacingOccurrences(
            of: #""stream_version":1"#, with: #""stream_version":2"#)
        var swapped = lines
        swapped.swapAt(eventLines[5], eventLines[6])
        var dropped = lines
        dropped.remove(at: eventLines[9])
        var forged = lines
        guard case .object(var head) = try JSONParser.parse(Array(lines[headLine].utf8)) else { throw CancellationError() }
        head["signature"] = .string(Base64URL.encode([UInt8](repeating: 7, count: 64)))
        forged[headLine] = String(decoding: CanonicalJSON.encode(.object(head)), as: UTF8.self)
        let cases: [(String, [String])] = [
            ("stream version", altered), ("reordered", swapped), ("dropped", dropped), ("forged head", forged),
        ]
        for (name, variant) in cases {
            let file = source.url.appendingPathExtension("\(name.replacingOccurrences(of: " ", with: "-")).ndjson")
            defer { try? FileManager.default.removeItem(at: file) }
            try variant.joined(separator: "\n").write(to: file, atomically: true, encoding: .utf8)
            let target = DataFolder()
            let refused = try PraxisProcess.run(["log", "import", file.path, "--data", target.path])
            #expect(refused.status == 1, "\(name)")
            #expect(
                refused.standardError.contains("refused") && refused.standardError.contains("line "),
                "\(name): \(refused.standardError)")
            #expect(!FileManager.default.fileExists(atPath: target.logPath), "\(name): nothing is written")
        }
    }

    @Test("Ctrl-C during an export or an import removes what it wrote, and the command exits 130")
    func interrupted() async throws {
        let source = DataFolder()
        let store = try SQLiteEventStore(path: source.logPath)
        for batch in 0..<10 {
            _ = try await store.append(
                (0..<1_000).map { index in
                    AuthoredEvent(
                        EventEnvelope(
                            id: UUID(), stream: StreamName("community/\(batch)")!, type: EventTypeName("note_added")!,
                            payload: ["n": .number(Double(index))]))
                })
        }
        let file = source.url.appendingPathComponent("log.ndjson")
        try await LogExport.write(from: store, to: file)
        try store.close()

        let exports = source.url.appendingPathComponent("exports")
        try FileManager.default.createDirectory(at: exports, withIntermediateDirectories: true)
        let export = try Self.interrupt(
            ["log", "export", "--out", exports.appendingPathComponent("again.ndjson").path, "--data", source.path],
            whenAppearsIn: exports, prefix: ".again.ndjson.partial-")
        #expect(export.status == 130, "\(export.standardError)")
        #expect(export.standardError.hasSuffix("praxis: interrupted; what was being written is removed\n"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: exports.path) == [])

        let target = DataFolder()
        let load = try Self.interrupt(
            ["log", "import", file.path, "--data", target.path], whenAppearsIn: target.url, prefix: ".log.sqlite.partial-")
        #expect(load.status == 130, "\(load.standardError)")
        #expect(load.standardError.hasSuffix("praxis: interrupted; what was being written is removed\n"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: target.path) == [], "\(load.standardError)")
        let again = try PraxisProcess.run(["log", "import", file.path, "--data", target.path])
        #expect(again.status == 0, "the folder takes the import again: \(again.standardError)")
    }

    /// Runs `praxis arguments…` and sends it SIGINT as soon as a file whose name starts with
    /// `prefix` appears in `folder`.
    static func interrupt(_ arguments: [String], whenAppearsIn folder: URL, prefix: String) throws -> PraxisProcess.Outcome {
        var sent = false
        let outcome = try PraxisProcess.run(arguments) { process in
            while process.isRunning && !sent {
                let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
                if names.contains(where: { $0.hasPrefix(prefix) }) {
                    kill(process.processIdentifier, SIGINT)
                    sent = true
                } else {
                    usleep(2_000)
                }
            }
        }
        #expect(sent, "\(arguments) ended before its file appeared")
        return outcome
    }
}
