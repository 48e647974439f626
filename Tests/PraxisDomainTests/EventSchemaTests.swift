import Foundation
import PraxisDomain
import PraxisProtocol
import Testing

@Suite("Protocol/events")
struct EventSchemaTests {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Protocol/events")

    @Test("the committed schemas are exactly what the event types generate (run: praxis protocol schemas --out Protocol/events)")
    func upToDate() throws {
        let generated = try EventSchemas.all()
        let committed = Set(try FileManager.default.contentsOfDirectory(atPath: Self.folder.path))
            .subtracting(["envelope.schema.json"])
        #expect(committed == Set(generated.keys))
        for (name, schema) in generated {
            let text = try String(contentsOf: Self.folder.appendingPathComponent(name), encoding: .utf8)
            #expect(text == schema.prettyPrinted() + "\n", "\(name)")
        }
    }

    @Test("optional fields are optional and required ones required")
    func optionality() throws {
        let registered = try #require(try EventSchemas.all()["member_registered.v1.schema.json"])
        let required = Set((registered["required"]?.arrayValue ?? []).compactMap(\.stringValue))
        #expect(required.contains("display_name"))
        #expect(!required.contains("organization"))
        #expect(registered["properties"]?["leadership"]?["enum"] == ["contributor", "manager", "senior", "executive"])
        let legacy = try #require(try EventSchemas.all()["post_created.v1.schema.json"])
        #expect(legacy["properties"]?["kind"] == nil)
    }
}
