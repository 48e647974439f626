import PraxisProtocol

/// Writes a JSON value as block-style YAML: readable, and exactly the same value (strings are
/// double-quoted with JSON escapes, which YAML reads the same way; multi-line text becomes a
/// literal block).
enum YAML {
    static func render(_ value: JSONValue, keyOrder: [String] = []) -> String {
        var lines: [String] = []
        emit(value, into: &lines, indent: 0, keyOrder: keyOrder)
        return lines.joined(separator: "\n") + "\n"
    }

    private static func emit(_ value: JSONValue, into lines: inout [String], indent: Int, keyOrder: [String] = []) {
        let pad = String(repeating: " ", count: indent)
        switch value {
        case .object(let members):
            let keys = keyOrder.filter { members[$0] != nil } + members.keys.filter { !keyOrder.contains($0) }.sorted()
            for key in keys {
                guard let member = members[key] else { continue }
                let name = pad + self.key(key) + ":"
                if let inline = scalar(member) {
                    lines.append(name + " " + inline)
                } else if case .string(let text) = member {
                    lines.append(name + " |-")
                    lines += text.split(separator: "\n", omittingEmptySubsequences: false).map {
                        $0.isEmpty ? "" : pad + "  " + $0
                    }
                } else {
                    lines.append(name)
                    emit(member, into: &lines, indent: indent + 2)
                }
            }
        case .array(let elements):
            for element in elements {
                if let inline = scalar(element) {
                    lines.append(pad + "- " + inline)
                } else {
                    var nested: [String] = []
                    emit(element, into: &nested, indent: indent + 2)
                    guard let first = nested.first else { continue }
                    lines.append(pad + "- " + first.dropFirst(indent + 2))
                    lines += nested.dropFirst()
                }
            }
        default:
            lines.append(pad + (scalar(value) ?? ""))
        }
    }

    /// The inline form of scalars and empty containers; `nil` for what needs lines of its own.
    private static func scalar(_ value: JSONValue) -> String? {
        switch value {
        case .object(let members): return members.isEmpty ? "{}" : nil
        case .array(let elements): return elements.isEmpty ? "[]" : nil
        case .string(let text) where text.contains("\n"): return nil
        default: return String(decoding: CanonicalJSON.encode(value), as: UTF8.self)
        }
    }

    private static func key(_ key: String) -> String {
        let plain =
            key.first.map { $0.isLetter || $0 == "_" } == true
            && key.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" || $0 == "$" }
        return plain ? key : String(decoding: CanonicalJSON.encode(.string(key)), as: UTF8.self)
    }
}
