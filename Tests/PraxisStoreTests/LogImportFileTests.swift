import Foundation
import PraxisProtocol
import PraxisStore
import Testing

/// `LogImport.loadNewLog(from:at:)`: a log appears only whole, never over a file, and a load that
/// fails midway leaves nothing that looks like a log.
@Suite("Log import into a new file")
struct LogImportFileTests {
    @Test("the log appears only when complete, never over a file, and a load that fails midway leaves nothing")
    func importFile() async throws {
        let fixture = try await StoreFixture(.sqlite)
        let source = try fixture.openSQLite()
        defer { try? source.close() }
        for index in 0..<5 {  // more than one page of the load (1,000 events), so a late fault comes after a write
            _ = try await source.append(TestEvents.batch(500, in: TestEvents.stream("community/\(index)")))
        }
        let written = try await source.read(from: 1, limit: 10_000)
        let export = fixture.folder.appendingPathComponent("log.ndjson")
        try await LogExport.write(from: source, to: export)

        let folder = fixture.folder.appendingPathComponent("copy")
        let path = folder.appendingPathComponent("log.sqlite")
        let loaded = try await LogImport.loadNewLog(from: export, at: path) { _ in
            #expect(!FileManager.default.fileExists(atPath: path.path), "nothing under the name until complete")
        }
        #expect(loaded.events == 2_500)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["log.sqlite"], "no hidden file left")
        let copy = try SQLiteEventStore(path: path.path, options: .init(createIfMissing: false))
        #expect(try await copy.read(from: 1, limit: 10_000).map(\.event.hash) == written.map(\.event.hash))
        try copy.close()

        // Over an existing log: refused, the log kept.
        let refused = await #expect(throws: StoreError.self) { try await LogImport.loadNewLog(from: export, at: path) }
        #expect(refused?.message.contains("exists") == true)

        // A fault at the 2,400th event, after the first two pages were written (the caller said the
        // file was verified): nothing is left in the folder.
        var lines = try String(contentsOf: export, encoding: .utf8).split(separator: "\n").map(String.init)
        let late = try #require(lines.indices.filter { lines[$0].contains(#""kind":"event""#) }.dropFirst(2_399).first)
        lines[late] = lines[late].replacingOccurrences(of: #""hash":""#, with: #""hash":"A"#)
        let damaged = fixture.folder.appendingPathComponent("damaged.ndjson")
        try (lines.joined(separator: "\n") + "\n").write(to: damaged, atomically: true, encoding: .utf8)
        let other = fixture.folder.appendingPathComponent("other")
        await #expect(throws: ImportError.self) {
            try await LogImport.loadNewLog(from: damaged, at: other.appendingPathComponent("log.sqlite"), alreadyVerified: true)
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: other.path).isEmpty)

        // A file that appears under the name meanwhile: refused at the end, theirs kept, nothing else left.
        let raced = fixture.folder.appendingPathComponent("raced")
        let racedPath = raced.appendingPathComponent("log.sqlite")
        let lost = await #expect(throws: StoreError.self) {
            try await LogImport.loadNewLog(from: export, at: racedPath) { _ in
                if !FileManager.default.fileExists(atPath: racedPath.path) {
                    FileManager.default.createFile(atPath: racedPath.path, contents: Data("theirs".utf8))
                }
            }
        }
        #expect(lost?.message.contains("exists") == true)
        #expect(try Data(contentsOf: racedPath) == Data("theirs".utf8))
        #expect(try FileManager.default.contentsOfDirectory(atPath: raced.path) == ["log.sqlite"])
    }
}
