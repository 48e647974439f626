import Foundation
import PraxisProtocol
import PraxisStore

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// `praxis audit verify --url`: fetches a server's export and verifies all of it against a pinned key.
enum RemoteAudit {
    static func verify(url: String, token: String, publicKey: [UInt8]) async throws {
        guard let base = URL(string: url),
            let export = URL(string: "v1/operator/export", relativeTo: base.appendingPathComponent("/"))
        else { throw CLIFailure("\(url) is not a URL") }
        var request = URLRequest(url: export)
        request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization")
        let (data, response) = try await URLSession.shared.data(for: request)
        guard let status = (response as? HTTPURLResponse)?.statusCode, status == 200 else {
            throw CLIFailure("\(export.absoluteString) answered \((response as? HTTPURLResponse)?.statusCode ?? 0)")
        }
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("praxis-audit-\(UUID().uuidString).ndjson")
        defer { try? FileManager.default.removeItem(at: file) }
        try data.write(to: file)
        let keyID = EventHash(hashing: publicKey).base64URL
        do {
            let checked = try LogImport.verify(file, trustedKeys: [keyID: publicKey])
            print("intact: \(checked.events) events and \(checked.heads) signed tree heads of \(url) verified")
        } catch let error as ImportError {
            print("FAULT in the export of \(url), \(error)")
            throw CLIFailure("the log of \(url) does not verify", exitCode: 1)
        }
    }
}
