import Foundation
import PraxisProtocol

/// The operator token: 256 random bits, base64url, kept in `DATA/operator.token` (mode 0600) and
/// created on the first `praxis serve`. The server holds only its SHA-256.
struct OperatorTokenFile {
    let path: String

    /// The token's hash, creating the token first when the file does not exist.
    func loadOrCreateHash() throws -> EventHash {
        if FileManager.default.fileExists(atPath: path) {
            guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
                throw CLIFailure(
                    "\(path) cannot be read as an operator token; fix its permissions, or delete it to have a new one made")
            }
            let token = text.trimmingCharacters(in: .whitespacesAndNewlines)
            guard Base64URL.decode(token)?.count == 32 else {
                throw CLIFailure("\(path) does not hold an operator token; delete it to have a new one made")
            }
            return EventHash(hashing: token.utf8)
        }
        var random = SystemRandomNumberGenerator()
        let token = Base64URL.encode((0..<32).map { _ in UInt8.random(in: .min ... .max, using: &random) })
        guard
            FileManager.default.createFile(
                atPath: path, contents: Data((token + "\n").utf8), attributes: [.posixPermissions: 0o600])
        else { throw CLIFailure("cannot write the operator token to \(path)") }
        return EventHash(hashing: token.utf8)
    }
}
