import Foundation
import PraxisProtocol
import Testing

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

@Suite("praxis serve")
struct ServeCommandTests {
    @Test("serve creates its data folder, answers /health, and stops cleanly on SIGTERM")
    func serveLifecycle() async throws {
        let folder = DataFolder()
        let errorLog = folder.url.deletingLastPathComponent().appendingPathComponent("serve-\(UUID().uuidString).log")
        FileManager.default.createFile(atPath: errorLog.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: errorLog) }
        let process = Process()
        process.executableURL = PraxisProcess.executable
        process.arguments = ["serve", "--data", folder.path, "--port", "0"]
        process.standardError = try FileHandle(forWritingTo: errorLog)
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        defer { if process.isRunning { process.terminate() } }

        let port = try await Self.waitForPort(in: errorLog)
        let (data, response) = try await URLSession.shared.data(from: URL(string: "http://127.0.0.1:\(port)/health")!)
        #expect((response as? HTTPURLResponse)?.statusCode == 200)
        #expect(try JSONParser.parse(Array(data))["status"] == "ok")

        let token = try String(contentsOfFile: folder.url.appendingPathComponent("operator.token").path, encoding: .utf8)
        #expect(Base64URL.decode(token.trimmingCharacters(in: .newlines))?.count == 32)
        let attributes = try FileManager.default.attributesOfItem(
            atPath: folder.url.appendingPathComponent("operator.token").path)
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)

        kill(process.processIdentifier, SIGTERM)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        let log = try String(contentsOf: errorLog, encoding: .utf8)
        #expect(log.contains("stopped"))
        #expect(FileManager.default.fileExists(atPath: folder.logPath))
    }

    /// Reads the server's log until it says where it listens.
    static func waitForPort(in log: URL) async throws -> Int {
        for _ in 0..<600 {
            let text = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
            if let range = text.range(of: "listening on http://127.0.0.1:") {
                let digits = text[range.upperBound...].prefix { $0.isNumber }
                if let port = Int(digits) { return port }
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        Issue.record("the server never said where it listens")
        throw CancellationError()
    }
}
