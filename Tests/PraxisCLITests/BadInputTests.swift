import Foundation
import Testing

/// Mistakes an operator makes at the prompt: each is one line naming what is wrong, with the
/// usage of the command at hand for a bad argument, never Foundation's dump of an error.
@Suite("praxis: bad paths and arguments")
struct BadInputTests {
    @Test("a missing or unusable path is named with the reason, never with Foundation's dump of the error")
    func unusablePaths() throws {
        let folder = DataFolder()
        try FileManager.default.createDirectory(at: folder.url, withIntermediateDirectories: true)
        let missing = folder.url.appendingPathComponent("missing.ndjson").path
        let aFile = folder.url.appendingPathComponent("a-file")
        try Data("x".utf8).write(to: aFile)
        let target = folder.url.appendingPathComponent("target").path
        let damaged = folder.url.appendingPathComponent("damaged")
        try FileManager.default.createDirectory(at: damaged, withIntermediateDirectories: true)
        try Data(repeating: 0x5A, count: 8192).write(to: damaged.appendingPathComponent("log.sqlite"))
        let cases: [(arguments: [String], expected: String)] = [
            (
                ["log", "verify", "--data", damaged.path],
                "praxis: \(damaged.appendingPathComponent("log.sqlite").path): the database file is damaged\n"
            ),
            (["log", "import", missing, "--data", target], "praxis: no file \(missing)\n"),
            (["log", "import", folder.path, "--data", target], "praxis: \(folder.path) is a folder, not an exported log\n"),
            (
                [
                    "demo", "--members", "10", "--communities", "1", "--days", "1", "--data",
                    aFile.appendingPathComponent("data").path,
                ],
                "praxis: \(aFile.appendingPathComponent("data").path): cannot be written\n"
            ),
        ]
        for (arguments, expected) in cases {
            let outcome = try PraxisProcess.run(arguments)
            #expect(outcome.status == 1, "\(arguments)")
            #expect(outcome.standardError == expected, "\(arguments)")
        }
        #expect(!FileManager.default.fileExists(atPath: target), "nothing is created for a refused import")
    }

    @Test("a bad --as-of is reported with the usage of audit replay, before anything is read")
    func badAsOf() throws {
        let outcome = try PraxisProcess.run(["audit", "replay", "--as-of", "yesterday", "--out", "/nonexistent/out"])
        #expect(outcome.status == 64)
        #expect(
            outcome.standardError.contains("'yesterday' is invalid for '--as-of <as-of>': must be a position or a time"),
            "\(outcome.standardError)")
        #expect(outcome.standardError.contains("Usage: praxis audit replay"), "\(outcome.standardError)")
    }

    @Test("an option's value outside its set is reported with the usage of the command at hand, before anything runs")
    func badOptionValues() throws {
        let folder = DataFolder()
        let member = "01a22990-4265-72e4-bc2d-c0376cfb9aea"
        let cases: [(arguments: [String], expected: String, usage: String)] = [
            (
                ["communities", "create", "--owner", member, "--name", "X", "--kind", "bogus", "--visibility", "open"],
                "'bogus' is invalid for '--kind <kind>': must be practice, learning or external", "praxis communities create"
            ),
            (
                ["communities", "create", "--owner", member, "--name", "X", "--kind", "practice", "--visibility", "public"],
                "'public' is invalid for '--visibility <visibility>': must be open, closed or secret", "praxis communities create"
            ),
            (
                [
                    "members", "add", "--name", "A", "--email", "a@example.com", "--region", "E", "--department", "D",
                    "--leadership", "boss",
                ],
                "'boss' is invalid for '--leadership <leadership>': must be contributor, manager, senior or executive",
                "praxis members add"
            ),
            (
                ["audit", "verify", "--public-key", "abc"], "'abc' is invalid for '--public-key <public-key>': must be 32 bytes",
                "praxis audit verify"
            ),
        ]
        for (arguments, expected, usage) in cases {
            let outcome = try PraxisProcess.run(arguments + ["--data", folder.path])
            #expect(outcome.status == 64, "\(arguments)")
            #expect(outcome.standardError.contains(expected), "\(outcome.standardError)")
            #expect(outcome.standardError.contains("Usage: \(usage)"), "\(outcome.standardError)")
        }
        #expect(!FileManager.default.fileExists(atPath: folder.path), "nothing was created")
    }

    @Test("serve on a port that is taken, or on an address not this machine's, says so in one line")
    func cannotListen() async throws {
        let running = DataFolder()
        let server = try await ServerProcess(["--data", running.path])
        let folder = DataFolder()
        let cases: [(arguments: [String], expected: String)] = [
            (
                ["--port", String(server.port)],
                "praxis: cannot listen on 127.0.0.1:\(server.port): the port is in use (by another praxis serve?)"
            ),
            (
                ["--host", "192.0.2.1", "--port", "0"],  // TEST-NET-1, never a local address
                "praxis: cannot listen on 192.0.2.1:0: the address is not one of this machine's"
            ),
        ]
        for (arguments, expected) in cases {
            let outcome = try PraxisProcess.run(["serve", "--data", folder.path] + arguments, timeLimit: 60)
            #expect(outcome.status == 1, "\(arguments)")
            let lines = outcome.standardError.split(separator: "\n")
            #expect(lines.last.map(String.init) == expected, "\(outcome.standardError)")
            #expect(!outcome.standardError.contains("errno"), "not the socket layer's own message")
        }
        #expect(server.stop() == 0, "the running server was not disturbed")
    }

    @Test("a damaged read-model file is named with what to do, and once moved aside the read models come back from the log")
    func damagedReadModels() throws {
        let folder = DataFolder()
        try Self.addMember(to: folder)
        let file = folder.url.appendingPathComponent("projections.sqlite")
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: file.path + suffix) }
        try Data((0..<8192).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }).write(to: file)
        for arguments in [["projections", "status"], ["insights"]] {
            let outcome = try PraxisProcess.run(arguments + ["--data", folder.path])
            #expect(outcome.status == 1, "\(arguments)")
            #expect(
                outcome.standardError
                    == "praxis: \(file.path) is damaged (file is not a database); read models are rebuilt from the log, so move it and its -wal and -shm files aside and run the command again\n",
                "\(arguments)")
        }
        try FileManager.default.moveItem(at: file, to: folder.url.appendingPathComponent("damaged.sqlite"))
        let rebuilt = try PraxisProcess.run(["projections", "rebuild", "--all", "--data", folder.path])
        #expect(rebuilt.status == 0, "\(rebuilt.standardError)")
        let status = try PraxisProcess.run(["projections", "status", "--data", folder.path])
        #expect(status.standardOutput.contains("community_roster v1 generation 2: at 2, lag 0"), "\(status.standardOutput)")
    }

    @Test("bench append refuses a log that holds events: benchmark events could never be taken out")
    func benchAppendNeedsAnEmptyLog() throws {
        let folder = DataFolder()
        try Self.addMember(to: folder)
        let refused = try PraxisProcess.run(["bench", "append", "--events", "10", "--batch", "10", "--data", folder.path])
        #expect(refused.status == 1)
        #expect(
            refused.standardError
                == "praxis: \(folder.logPath) is not empty; bench append writes benchmark events that could never be taken out of a log, so give it an empty folder (--data) or database (--store)\n"
        )
        let stats = try PraxisProcess.run(["log", "stats", "--data", folder.path])
        #expect(stats.standardOutput.contains("head    2\n"), "\(stats.standardOutput)")
        let empty = DataFolder()
        #expect(try PraxisProcess.run(["bench", "append", "--events", "10", "--batch", "10", "--data", empty.path]).status == 0)
    }

    /// Gives `folder` a log of two events: a member added as an operator would, with their e-mail address's claim.
    static func addMember(to folder: borrowing DataFolder) throws {
        let added = try PraxisProcess.run([
            "members", "add", "--data", folder.path, "--name", "Ada", "--email", "ada@example.com", "--region", "EMEA",
            "--department", "R&D",
        ])
        #expect(added.status == 0, "\(added.standardError)")
    }
}
