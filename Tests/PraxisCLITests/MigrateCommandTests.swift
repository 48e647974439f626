import Foundation
import PraxisProtocol
import Testing

/// `praxis migrate`: a SQLite log into PostgreSQL, proved by Merkle root and read-model digests.
@Suite("praxis migrate")
struct MigrateCommandTests {
    @Test("a demo log is copied and proved; the copy verifies; run again it proves it again; another log is refused")
    func migrate() throws {
        let url = try newPostgresDatabaseURL("praxis_migrate")
        let folder = DataFolder()
        let demo = try PraxisProcess.run(
            ["demo", "--members", "40", "--communities", "4", "--days", "5", "--data", folder.path])
        #expect(demo.status == 0, "\(demo.standardError)")
        let migrated = try PraxisProcess.run(["migrate", "--from", folder.path, "--to", url])
        #expect(migrated.status == 0, "\(migrated.standardError)")
        #expect(migrated.standardOutput.contains("in both logs"))
        #expect(!migrated.standardOutput.contains("DIFFERS"))
        #expect(migrated.standardOutput.contains("migrated and proved"))
        let sqlite = try PraxisProcess.run(["projections", "digest", "--data", folder.path])
        let postgres = try PraxisProcess.run(["projections", "digest", "--data", folder.path + "-pg", "--store", url])
        #expect(sqlite.standardOutput == postgres.standardOutput)
        let verified = try PraxisProcess.run(["audit", "verify", "--data", folder.path, "--store", url])
        #expect(verified.status == 0, "\(verified.standardOutput)")
        // Run again, it finds the whole log there and proves it once more.
        let again = try PraxisProcess.run(["migrate", "--from", folder.path, "--to", url])
        #expect(again.status == 0, "\(again.standardError)")
        #expect(again.standardOutput.contains("migrated and proved"))
        // Another log is refused, and the database keeps what it held.
        let other = DataFolder()
        let added = try PraxisProcess.run([
            "members", "add", "--data", other.path, "--name", "Ada", "--email", "ada@example.com", "--region", "EMEA",
            "--department", "R&D",
        ])
        #expect(added.status == 0, "\(added.standardError)")
        let refused = try PraxisProcess.run(["migrate", "--from", other.path, "--to", url])
        #expect(refused.status == 1)
        #expect(refused.standardError.contains("already holds a log that does not begin as this one"), "\(refused.standardError)")
        #expect(try PraxisProcess.run(["audit", "verify", "--data", folder.path, "--store", url]).status == 0)
        try? FileManager.default.removeItem(atPath: folder.path + "-pg")
    }

    @Test("a migration that stopped partway goes on where it stopped and proves the whole copy")
    func resume() throws {
        let url = try newPostgresDatabaseURL("praxis_migrate")
        let folder = DataFolder()
        let demo = try PraxisProcess.run(["demo", "--members", "40", "--communities", "4", "--days", "5", "--data", folder.path])
        #expect(demo.status == 0, "\(demo.standardError)")
        // What an interrupted migration leaves: the log's first events (here 150) in
        // the database — made here by migrating a copy of the log cut at that position.
        let export = folder.url.appendingPathExtension("ndjson")
        defer { try? FileManager.default.removeItem(at: export) }
        let exported = try PraxisProcess.run(["log", "export", "--up-to", "150", "--out", export.path, "--data", folder.path])
        #expect(exported.status == 0, "\(exported.standardError)")
        let prefix = DataFolder()
        #expect(try PraxisProcess.run(["log", "import", export.path, "--data", prefix.path]).status == 0)
        #expect(try PraxisProcess.run(["migrate", "--from", prefix.path, "--to", url]).status == 0)

        let resumed = try PraxisProcess.run(["migrate", "--from", folder.path, "--to", url])
        #expect(resumed.status == 0, "\(resumed.standardError)")
        #expect(resumed.standardOutput.contains("holds this log's first 150 events already"), "\(resumed.standardOutput)")
        #expect(resumed.standardOutput.contains("migrated and proved"))
        #expect(!resumed.standardOutput.contains("DIFFERS"))
        let verified = try PraxisProcess.run(["audit", "verify", "--data", folder.path, "--store", url])
        #expect(verified.status == 0, "\(verified.standardOutput)")
        let head = try PraxisProcess.run(["log", "stats", "--data", folder.path])
        let copiedHead = try PraxisProcess.run(["log", "stats", "--data", folder.path, "--store", url])
        #expect(head.standardOutput == copiedHead.standardOutput)
    }
}
