import Foundation
import Hummingbird
import HummingbirdTesting
import PraxisProtocol
import PraxisServer
import Testing

@Suite("Protocol/openapi.yaml")
struct OpenAPIDocumentTests {
    static let file = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Protocol/openapi.yaml")

    @Test("the committed document is exactly what the code generates (run: praxis protocol openapi > Protocol/openapi.yaml)")
    func upToDate() throws {
        let committed = try String(contentsOf: Self.file, encoding: .utf8)
        #expect(committed == (try OpenAPIDocument.yaml()))
    }

    @Test("every documented command path answers through the router (no route is documented but missing)")
    func documentedRoutesExist() async throws {
        let fixture = try ServerFixture()
        let document = try OpenAPIDocument.document()
        let paths = try #require(document["paths"]?.objectValue)
        try await fixture.application.test(.router) { client in
            for (path, operations) in paths {
                let concrete = path.replacingOccurrences(
                    of: #"\{[a-z_]+\}"#, with: "01a21d10-0000-7000-8000-000000000000", options: .regularExpression)
                for method in (operations.objectValue ?? [:]).keys {
                    let response = try await client.execute(uri: concrete, method: HTTPRequest.Method(method.uppercased())!)
                    // A missing route answers the router's own 404; a route may answer 404 for a
                    // missing thing (no tree head yet), which is not what this test looks for.
                    let message = (try? response.json)?["error"]?["message"]?.stringValue
                    #expect(!(response.status == .notFound && message == "nothing is here"), "\(method) \(path)")
                }
            }
        }
    }
}
