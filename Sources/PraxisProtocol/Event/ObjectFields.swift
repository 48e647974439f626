import Foundation

/// Reads the members of a JSON object strictly: unknown members are an error, and every error names
/// the field by its dotted path.
struct ObjectFields {
    let members: [String: JSONValue]
    let path: String

    /// `allowed` is a short list, compared member by member: hashing it into a set for every
    /// object read cost more than the comparisons. An unknown member named in the error is the
    /// first in code point order, whatever order the object's dictionary holds them in.
    init(_ value: JSONValue, path: String, allowed: [String]) throws(EnvelopeError) {
        guard case .object(let members) = value else {
            throw .invalidField(path.isEmpty ? "(root)" : path, "must be a JSON object")
        }
        if members.keys.contains(where: { !allowed.contains($0) }),
            let unknown = members.keys.sorted().first(where: { !allowed.contains($0) })
        {
            throw .invalidField(qualified(unknown, in: path), "is not a known field")
        }
        self.members = members
        self.path = path
    }

    func name(_ key: String) -> String { qualified(key, in: path) }

    func required(_ key: String) throws(EnvelopeError) -> JSONValue {
        guard let value = members[key] else { throw .invalidField(name(key), "is required") }
        return value
    }

    func string(_ key: String) throws(EnvelopeError) -> String {
        guard let text = try required(key).stringValue else { throw .invalidField(name(key), "must be a string") }
        return text
    }

    func uuid(_ key: String) throws(EnvelopeError) -> UUID {
        guard let id = UUID(wireString: try string(key)) else {
            throw .invalidField(name(key), "must be a lowercase hyphenated UUID")
        }
        return id
    }

    func optionalUUID(_ key: String) throws(EnvelopeError) -> UUID? {
        members[key] == nil ? nil : try uuid(key)
    }

    func optionalTimestamp(_ key: String) throws(EnvelopeError) -> Timestamp? {
        guard members[key] != nil else { return nil }
        guard let time = Timestamp(rfc3339: try string(key)) else {
            throw .invalidField(name(key), "must be a UTC timestamp of the form YYYY-MM-DDTHH:MM:SS.sssZ")
        }
        return time
    }

    func integer(_ key: String, in range: ClosedRange<Int64>) throws(EnvelopeError) -> Int64 {
        guard let value = try required(key).integerValue, range.contains(value) else {
            throw .invalidField(name(key), "must be an integer from \(range.lowerBound) to \(range.upperBound)")
        }
        return value
    }
}

private func qualified(_ key: String, in path: String) -> String {
    path.isEmpty ? key : path + "." + key
}
