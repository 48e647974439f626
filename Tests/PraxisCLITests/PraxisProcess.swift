import Foundation
import PraxisProtocol
import Testing

/// Runs the built `praxis` executable, which SwiftPM places beside the test bundle.
enum PraxisProcess {
    static var executable: URL {
        let testBundle = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        return testBundle.deletingLastPathComponent().appendingPathComponent("praxis")
    }

    struct Outcome {
        let status: Int32
        let standardOutput: String
        let standardError: String
    }

    /// Runs `praxis arguments…` to completion, with `environment` added to this process's; after
    /// `timeLimit` seconds it is sent SIGTERM (for a command that should stop at once but might not).
    /// `whileRunning` is called once it has started (its output is read after that returns, so it
    /// must not wait for much output).
    static func run(
        _ arguments: [String], input: Data? = nil, environment: [String: String] = [:], timeLimit: Int? = nil,
        whileRunning: (Process) -> Void = { _ in }
    ) throws -> Outcome {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let standardInput = Pipe()
        if input != nil { process.standardInput = standardInput }
        let output = Pipe()
        let error = Pipe()
        process.standardOutput = output
        process.standardError = error
        try process.run()
        let pid = process.processIdentifier
        let stop = DispatchWorkItem { kill(pid, SIGTERM) }
        if let timeLimit { DispatchQueue.global().asyncAfter(deadline: .now() + .seconds(timeLimit), execute: stop) }
        defer { stop.cancel() }  // the process has ended: its id may be another's soon
        if let input {
            standardInput.fileHandleForWriting.write(input)
            try standardInput.fileHandleForWriting.close()
        }
        whileRunning(process)
        let outputData = output.fileHandleForReading.readDataToEndOfFile()
        let errorData = error.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Outcome(
            status: process.terminationStatus, standardOutput: String(decoding: outputData, as: UTF8.self),
            standardError: String(decoding: errorData, as: UTF8.self))
    }
}

/// A temporary data folder, removed when the test ends.
struct DataFolder: ~Copyable {
    let url: URL

    init() {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("praxis-cli-\(UUID().uuidString.lowercased())")
    }

    var path: String { url.path }
    var logPath: String { url.appendingPathComponent("log.sqlite").path }

    deinit { try? FileManager.default.removeItem(at: url) }
}

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// A running `praxis serve` on a free port, its standard error kept in a temporary file; stopped
/// and cleaned up when released.
final class ServerProcess {
    let process = Process()
    let log = FileManager.default.temporaryDirectory.appendingPathComponent("praxis-serve-\(UUID().uuidString).log")
    private(set) var port = 0

    /// `http://127.0.0.1:<port>`.
    var base: String { "http://127.0.0.1:\(port)" }

    /// What the server wrote to standard error so far.
    var output: String { (try? String(contentsOf: log, encoding: .utf8)) ?? "" }

    /// Starts `praxis serve --port 0` with `arguments` and waits until it says where it listens.
    init(_ arguments: [String]) async throws {
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        process.executableURL = PraxisProcess.executable
        process.arguments = ["serve", "--port", "0"] + arguments
        process.standardError = try FileHandle(forWritingTo: log)
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        for _ in 0..<600 {
            if let range = output.range(of: "listening on http://127.0.0.1:"),
                let port = Int(output[range.upperBound...].prefix { $0.isNumber })
            {
                self.port = port
                return
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        Issue.record("the server never said where it listens: \(output)")
        throw CancellationError()
    }

    /// Sends SIGTERM and waits; returns the exit status.
    func stop() -> Int32 {
        kill(process.processIdentifier, SIGTERM)
        process.waitUntilExit()
        return process.terminationStatus
    }

    /// Sends a JSON request to `path` and returns the JSON answer.
    func send(_ method: String, _ path: String, token: String, _ body: JSONValue? = nil) async throws -> JSONValue {
        var request = URLRequest(url: URL(string: base + path)!)
        request.httpMethod = method
        request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization")
        if let body {
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
            request.httpBody = Data(CanonicalJSON.encode(body))
        }
        let (data, _) = try await URLSession.shared.data(for: request)
        return try JSONParser.parse(Array(data))
    }

    deinit {
        if process.isRunning { process.terminate() }
        try? FileManager.default.removeItem(at: log)
    }
}

/// A new database's URL on the PostgreSQL server `Tools/test` started (`PRAXIS_TEST_POSTGRES`),
/// named `prefix` and a random number; throws when there is no server, which is a failure, not a skip.
func newPostgresDatabaseURL(_ prefix: String) throws -> String {
    guard let server = ProcessInfo.processInfo.environment["PRAXIS_TEST_POSTGRES"] else {
        throw PostgresMissing()
    }
    return String(server[...(server.lastIndex(of: "/") ?? server.startIndex)]) + "\(prefix)_\(UInt32.random(in: 0...UInt32.max))"
}

/// The tests were not started by `Tools/test`.
struct PostgresMissing: Error, CustomStringConvertible {
    var description: String { "PRAXIS_TEST_POSTGRES is not set: run the tests with Tools/test" }
}
