import Foundation
import PraxisProtocol
import Testing

/// `praxis migrate`: a SQLite log into PostgreSQL, proved by Merkle root and read-model digests.
@Suite("praxis migrate")
struct MigrateCommandTests {
    @Test("a demo log is copied and proved; the copy verifies; a non-empty target is refused")
    func migrate() throws {
        guard let server = ProcessInfo.processInfo.environment["PRAXIS_TEST_POSTGRES"] else {
            Issue.record("PRAXIS_TEST_POSTGRES is not set: run the tests with Tools/test")
            return
        }
        let url =
            String(server[...(server.lastIndex(of: "/") ?? server.startIndex)])
            + "praxis_migrate_\(UInt32.random(in: 0...UInt32.max))"
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
        let again = try PraxisProcess.run(["migrate", "--from", folder.path, "--to", url])
        #expect(again.status == 1)
        #expect(again.standardError.contains("already holds a log"))
        try? FileManager.default.removeItem(atPath: folder.path + "-pg")
    }
}
