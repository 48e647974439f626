import Foundation
import GRDB
import PraxisProtocol
import PraxisStore
import Testing

@Suite("praxis log …")
struct LogCommandTests {
    /// A log with `count` events of two types in three streams.
    static func seed(_ folder: borrowing DataFolder, count: Int) async throws {
        let store = try SQLiteEventStore(path: folder.logPath)
        for index in 0..<count {
            let type = index % 4 == 0 ? "member_joined" : "post_created"
            _ = try await store.append([
                AuthoredEvent(
                    EventEnvelope(
                        id: UUID(), stream: StreamName("community/\(index % 3)")!, type: EventTypeName(type)!,
                        payload: ["n": .number(Double(index))]))
            ])
        }
        try store.close()
    }

    @Test(
        "every command explains itself with an example",
        arguments: [
            [], ["serve"], ["log"], ["log", "tail"], ["log", "stats"], ["log", "verify"],
        ])
    func help(command: [String]) throws {
        let outcome = try PraxisProcess.run(command + ["--help"])
        #expect(outcome.status == 0)
        #expect(outcome.standardOutput.contains("USAGE"))
        #expect(outcome.standardOutput.contains("Example"))
    }

    @Test(
        "commands on a folder without a log fail with a clear message and create nothing",
        arguments: [
            ["log", "stats"], ["log", "tail"], ["log", "verify"],
        ])
    func missingLog(command: [String]) throws {
        let folder = DataFolder()
        let outcome = try PraxisProcess.run(command + ["--data", folder.path])
        #expect(outcome.status == 1)
        #expect(outcome.standardError.contains("no Praxis log in \(folder.path)"))
        #expect(!FileManager.default.fileExists(atPath: folder.path))
    }

    @Test(
        "bad options are refused with a usage error",
        arguments: [
            ["log", "tail", "--limit", "0"], ["log", "tail", "--from", "-3"], ["serve", "--port", "70000"],
            ["log", "stats", "--bogus"],
        ])
    func badOptions(command: [String]) throws {
        let outcome = try PraxisProcess.run(command)
        #expect(outcome.status == 64)
        #expect(outcome.standardError.contains("Error"))
    }

    @Test("stats counts events per type, in text and JSON")
    func stats() async throws {
        let folder = DataFolder()
        try await Self.seed(folder, count: 12)
        let json = try PraxisProcess.run(["log", "stats", "--json", "--data", folder.path])
        #expect(json.status == 0)
        let value = try JSONParser.parse(Array(json.standardOutput.utf8.dropLast()))
        #expect(value == ["event_count": 12, "head": 12, "counts_by_type": ["post_created": 9, "member_joined": 3]])
        let text = try PraxisProcess.run(["log", "stats", "--data", folder.path])
        #expect(text.standardOutput.contains("events  12"))
        #expect(text.standardOutput.contains("post_created"))
    }

    @Test("tail prints the last events, or a range as NDJSON")
    func tail() async throws {
        let folder = DataFolder()
        try await Self.seed(folder, count: 30)
        let last = try PraxisProcess.run(["log", "tail", "--limit", "3", "--data", folder.path])
        let lines = last.standardOutput.split(separator: "\n")
        #expect(lines.count == 3)
        #expect(lines.first?.trimmingCharacters(in: .whitespaces).hasPrefix("28") == true)
        #expect(lines.last?.contains("community/2@10") == true)
        let range = try PraxisProcess.run(["log", "tail", "--from", "5", "--limit", "4", "--json", "--data", folder.path])
        let events = try range.standardOutput.split(separator: "\n").map { try JSONParser.parse(Array($0.utf8)) }
        #expect(events.compactMap { $0["position"]?.integerValue } == [5, 6, 7, 8])
        #expect(events.allSatisfy { $0["hash"]?.stringValue?.count == 43 })
    }

    @Test("verify passes an intact log and names the first bad position of a tampered one")
    func verify() async throws {
        let folder = DataFolder()
        try await Self.seed(folder, count: 20)
        let intact = try PraxisProcess.run(["log", "verify", "--data", folder.path])
        #expect(intact.status == 0)
        #expect(intact.standardOutput.contains("intact: 20 events verified up to position 20"))
        try Self.sqlite(
            folder.logPath,
            """
            DROP TRIGGER events_are_append_only_update;
            UPDATE events SET canonical = CAST(replace(CAST(canonical AS TEXT), '"n":13', '"n":99') AS BLOB) WHERE position = 14;
            """)
        let tampered = try PraxisProcess.run(["log", "verify", "--data", folder.path])
        #expect(tampered.status == 1)
        #expect(tampered.standardOutput.contains("FAULT at position 14: hash_mismatch"))
        let json = try PraxisProcess.run(["log", "verify", "--json", "--data", folder.path])
        let report = try JSONParser.parse(Array(json.standardOutput.utf8.dropLast()))
        #expect(json.status == 1)
        #expect(report["intact"] == false)
        #expect(report["checked_events"] == 13)
        #expect(report["fault"]?["position"] == 14)
        #expect(report["fault"]?["kind"] == "hash_mismatch")
    }

    /// Runs SQL on the log behind the store's back.
    static func sqlite(_ path: String, _ sql: String) throws {
        let queue = try DatabaseQueue(path: path)
        try queue.write { try $0.execute(sql: sql) }
        try queue.close()
    }
}
