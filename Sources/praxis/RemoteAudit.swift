import Foundation
import PraxisProtocol
import PraxisStore
import PraxisSync

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
        let checked: (events: Int64, heads: Int)
        do {
            checked = try LogImport.verify(file, trustedKeys: [keyID: publicKey])
        } catch let error as ImportError {
            print("FAULT in the export of \(url), \(error)")
            throw CLIFailure("the log of \(url) does not verify", exitCode: 1)
        }
        // Device signatures need the log's enrollments in order: load the verified copy and check them.
        let copy = FileManager.default.temporaryDirectory.appendingPathComponent("praxis-audit-\(UUID().uuidString).sqlite")
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: copy.path + suffix) } }
        let store = try SQLiteEventStore(path: copy.path)
        try await LogImport.load(file, into: store, alreadyVerified: true)
        let authors = try await AuthorSignatureVerifier(store: store).verify()
        try store.close()
        if let fault = authors.fault {
            print("FAULT in the log of \(url) at position \(fault.position): author_signature: \(fault.message)")
            throw CLIFailure("the log of \(url) does not verify", exitCode: 1)
        }
        print(
            "intact: \(checked.events) events, \(checked.heads) signed tree heads and \(authors.signedEvents) device "
                + "signatures of \(url) verified")
    }
}
