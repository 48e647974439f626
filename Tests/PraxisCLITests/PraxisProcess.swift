import Foundation
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

    /// Runs `praxis arguments…` to completion.
    static func run(_ arguments: [String]) throws -> Outcome {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        let output = Pipe()
        let error = Pipe()
        process.standardOutput = output
        process.standardError = error
        try process.run()
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
