import Foundation
import Hummingbird
import HummingbirdTesting
import PraxisProtocol
import PraxisStore
import Testing

@testable import PraxisServer

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

extension OpenAPIDocumentTests {
    @Test("every member and operator request body the document closes refuses a member it does not list, writing nothing")
    func closedBodiesRefuseUnknownMembers() async throws {
        let fixture = try ServerFixture()
        let document = try OpenAPIDocument.document()
        let paths = try #require(document["paths"]?.objectValue)
        let schemas = try #require(document["components"]?["schemas"]?.objectValue)
        try await fixture.application.test(.router) { raw in
            let (_, token) = try await CommandRouteTests.Client(client: raw).member("Ada")
            let head = try await fixture.store.head()
            var checked = 0
            for (path, operations) in paths {
                for (method, operation) in operations.objectValue ?? [:] {
                    guard var schema = operation["requestBody"]?["content"]?["application/json"]?["schema"] else { continue }
                    if let reference = schema["$ref"]?.stringValue {
                        schema = try #require(schemas[String(reference.split(separator: "/").last ?? "")])
                    }
                    guard schema["additionalProperties"] == false else { continue }
                    let security = operation["security"]
                    guard security == nil || security == [["operatorToken": []]] else { continue }  // signed sync requests
                    let bearer = security == nil ? token : ServerFixture.operatorToken
                    let concrete = path.replacingOccurrences(
                        of: #"\{[a-z_]+\}"#, with: "01a21d10-0000-7000-8000-000000000000", options: .regularExpression)
                    let response = try await raw.execute(
                        uri: concrete, method: try #require(HTTPRequest.Method(method.uppercased())),
                        headers: [.authorization: "Bearer \(bearer)", .contentType: "application/json"],
                        body: ByteBuffer(string: #"{"not_a_field_of_this_request":1}"#))
                    #expect(response.status == .badRequest, "\(method) \(path)")
                    #expect(response.errorCode == "invalid_field", "\(method) \(path)")
                    #expect(try response.json["error"]?["field"] == "not_a_field_of_this_request", "\(method) \(path)")
                    checked += 1
                }
            }
            #expect(checked == CommandRoute.all.count + 1, "every command and the device invitation")
            #expect(try await fixture.store.head() == head)
        }
    }
}
