import Foundation
import PraxisProtocol
import PraxisStore
import Testing

/// `LogExport.write(from:to:)`: a file appears only whole, and never over another.
@Suite("Log export to a file")
struct LogExportFileTests {
    @Test("the file holds the export's bytes, appears only when complete and never replaces a file")
    func exportFile() async throws {
        let fixture = try await SQLiteTamperingTests.seededLog()
        let store = try fixture.openSQLite()
        defer { try? store.close() }
        var streamed: [UInt8] = []
        try await LogExport.write(from: store) { streamed += $0 }
        let folder = fixture.folder.appendingPathComponent("exports")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let file = folder.appendingPathComponent("log.ndjson")

        let written = try await LogExport.write(from: store, to: file) { _ in
            #expect(!FileManager.default.fileExists(atPath: file.path), "nothing under the name until complete")
        }
        #expect(written.events == 30)
        #expect(try [UInt8](Data(contentsOf: file)) == streamed)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["log.ndjson"])

        // Over an existing file, or one that appears while the export is written: refused, kept.
        let refused = await #expect(throws: StoreError.self) { try await LogExport.write(from: store, to: file) }
        #expect(refused?.message.contains("exists") == true)
        let late = folder.appendingPathComponent("late.ndjson")
        let raced = await #expect(throws: StoreError.self) {
            try await LogExport.write(from: store, to: late) { _ in
                FileManager.default.createFile(atPath: late.path, contents: Data("theirs".utf8))
            }
        }
        #expect(raced?.message.contains("exists") == true)
        #expect(try Data(contentsOf: late) == Data("theirs".utf8))
        #expect(try Set(FileManager.default.contentsOfDirectory(atPath: folder.path)) == ["log.ndjson", "late.ndjson"])
        #expect(try [UInt8](Data(contentsOf: file)) == streamed)
    }
}
