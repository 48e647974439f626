public import PraxisProtocol

/// The JSON Schema of every event type's payload, per schema version — the files in
/// `Protocol/events/`, generated from the event types themselves (`praxis protocol schemas`).
public enum EventSchemas {
    /// File name → schema, for every current version and every older version an upcaster reads.
    public static func all() throws -> [String: JSONValue] {
        var files: [String: JSONValue] = [:]
        for type in EventRegistry.types {
            let payload = try SchemaInference.schema(of: type)
            files[fileName(type.type, type.schemaVersion)] = document(type.type, type.schemaVersion, payload)
        }
        // post_created version 1 had neither `kind` nor `cites` (read as a discussion today).
        if case .object(var payload) = try SchemaInference.schema(of: PostCreated.self) {
            payload["properties"] = .object(
                (payload["properties"]?.objectValue ?? [:]).filter { $0.key != "kind" && $0.key != "cites" })
            payload["required"] = .array((payload["required"]?.arrayValue ?? []).filter { $0 != "kind" && $0 != "cites" })
            files[fileName(PostCreated.type, 1)] = document(PostCreated.type, 1, .object(payload))
        }
        return files
    }

    static func fileName(_ type: String, _ version: Int64) -> String { "\(type).v\(version).schema.json" }

    static func document(_ type: String, _ version: Int64, _ payload: JSONValue) -> JSONValue {
        guard case .object(var schema) = payload else { return payload }
        schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
        schema["$id"] = .string("https://praxis.example/protocol/events/\(fileName(type, version))")
        schema["title"] = .string("\(type) payload, schema version \(version)")
        return .object(schema)
    }
}
