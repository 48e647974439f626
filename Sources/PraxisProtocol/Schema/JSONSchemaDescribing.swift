/// A type that states its own JSON Schema instead of being walked field by field: identifiers,
/// timestamps, enumerations.
public protocol JSONSchemaDescribing {
    /// The schema of the type's JSON form.
    static var jsonSchema: JSONValue { get }
    /// A value of the type, used while walking the types that contain it.
    static var schemaExample: Self { get }
}

/// A string enumeration on the wire; its schema lists the allowed values.
public protocol WireEnum: JSONSchemaDescribing, CaseIterable, RawRepresentable, Codable, Sendable
where RawValue == String {}

extension WireEnum {
    public static var jsonSchema: JSONValue {
        ["type": "string", "enum": .array(allCases.map { .string($0.rawValue) })]
    }

    public static var schemaExample: Self {
        // Every wire enumeration has at least one case.
        allCases.first!
    }
}

extension Timestamp: JSONSchemaDescribing {
    public static var jsonSchema: JSONValue {
        [
            "type": "string", "pattern": #"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{3}Z$"#,
            "description": "UTC time, YYYY-MM-DDTHH:MM:SS.sssZ",
        ]
    }

    public static var schemaExample: Timestamp { Timestamp(millisecondsSinceEpoch: 0) }
}

extension DeviceKeyAlgorithm: WireEnum {}
