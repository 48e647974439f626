import ArgumentParser
import Foundation

/// The server and the member whose enrolled devices the HTTP benchmarks and fault clients
/// (`bench push`, `bench storm`, `bench load`) drive.
struct BenchTarget: ParsableArguments {
    @Option(help: "The server, e.g. http://127.0.0.1:8080.") var url: String
    @Option(help: "The file holding the operator token (DATA/operator.token).") var operatorTokenFile: String
    @Option(help: "The member the devices belong to.") var member: String
    @Option(help: "A community the member may post in.") var community: String

    /// Said in the help of every command that drives a server this way.
    static let writesRealEvents = """
        It writes real events into the server's log (devices enrolled for MEMBER, their posts in \
        COMMUNITY), which the log keeps for good: point it at a test server, never a live one.
        """

    func validate() throws {
        guard URL(string: url)?.host != nil else { throw ValidationError("--url must be like http://127.0.0.1:8080") }
    }

    /// `count` new Ed25519 devices of the member, enrolled with codes the operator token asks for.
    func enroll(_ count: Int) async throws -> [BenchDevice] {
        let token = try String(contentsOfFile: operatorTokenFile, encoding: .utf8)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        var devices: [BenchDevice] = []
        for _ in 0..<count { devices.append(try await BenchDevice.enroll(url: url, operatorToken: token, member: member)) }
        return devices
    }
}
