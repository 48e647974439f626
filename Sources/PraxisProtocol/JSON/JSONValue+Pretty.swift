extension JSONValue {
    /// The value as indented JSON with sorted keys, for files people read (schemas, reports).
    /// Scalars are written exactly as in the canonical form.
    public func prettyPrinted(indent: Int = 2) -> String {
        var output = ""
        write(into: &output, level: 0, indent: indent)
        return output
    }

    private func write(into output: inout String, level: Int, indent: Int) {
        let padding = String(repeating: " ", count: (level + 1) * indent)
        let closing = String(repeating: " ", count: level * indent)
        switch self {
        case .array(let elements) where !elements.isEmpty:
            output += "[\n"
            for (index, element) in elements.enumerated() {
                output += padding
                element.write(into: &output, level: level + 1, indent: indent)
                output += index < elements.count - 1 ? ",\n" : "\n"
            }
            output += closing + "]"
        case .object(let members) where !members.isEmpty:
            output += "{\n"
            let keys = members.keys.sorted(by: CanonicalJSON.precedes)
            for (index, key) in keys.enumerated() {
                output += padding + String(decoding: CanonicalJSON.encode(.string(key)), as: UTF8.self) + ": "
                members[key]?.write(into: &output, level: level + 1, indent: indent)
                output += index < keys.count - 1 ? ",\n" : "\n"
            }
            output += closing + "}"
        default:
            output += String(decoding: CanonicalJSON.encode(self), as: UTF8.self)
        }
    }
}
