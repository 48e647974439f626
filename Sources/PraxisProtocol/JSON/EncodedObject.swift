/// A JSON object whose member values are kept in their RFC 8785 form, written out as the object's
/// canonical bytes: the same bytes ``CanonicalJSON/encode(_:)`` gives for the decoded object.
///
/// Members can be given already encoded, so an answer made of stored events (a pull page) is
/// written by copying each event's stored canonical bytes instead of decoding and encoding them
/// again; and a signed answer is encoded once for its signature and its body.
public struct EncodedObject: Sendable, Equatable {
    private var members: [String: [UInt8]] = [:]

    public init() {}

    /// An object of `members`, each encoded now.
    public init(_ members: [String: JSONValue]) {
        for (key, value) in members { self.members[key] = CanonicalJSON.encode(value) }
    }

    /// Sets member `key` to `value`, encoded now.
    public mutating func set(_ key: String, _ value: JSONValue) {
        members[key] = CanonicalJSON.encode(value)
    }

    /// Sets member `key` to a value given in its canonical form. `bytes` must be the RFC 8785
    /// bytes of one JSON value (as ``CanonicalJSON/encode(_:)`` or stored event bytes are).
    public mutating func set(_ key: String, encoded bytes: [UInt8]) {
        members[key] = bytes
    }

    /// The object without member `key`.
    public func removing(_ key: String) -> EncodedObject {
        var copy = self
        copy.members[key] = nil
        return copy
    }

    /// The object's canonical bytes: members sorted by the UTF-16 code units of their names.
    public var bytes: [UInt8] {
        var output: [UInt8] = [UInt8(ascii: "{")]
        output.reserveCapacity(members.values.reduce(2) { $0 + $1.count + 16 })
        for (index, key) in members.keys.sorted(by: CanonicalJSON.precedes).enumerated() {
            if index > 0 { output.append(UInt8(ascii: ",")) }
            output.append(contentsOf: CanonicalJSON.encode(.string(key)))
            output.append(UInt8(ascii: ":"))
            output.append(contentsOf: members[key] ?? [])
        }
        output.append(UInt8(ascii: "}"))
        return output
    }
}

extension CanonicalJSON {
    /// The canonical bytes of an array whose elements are given in their canonical form.
    public static func array(encoded elements: [[UInt8]]) -> [UInt8] {
        var output: [UInt8] = [UInt8(ascii: "[")]
        output.reserveCapacity(elements.reduce(2) { $0 + $1.count + 1 })
        for (index, element) in elements.enumerated() {
            if index > 0 { output.append(UInt8(ascii: ",")) }
            output.append(contentsOf: element)
        }
        output.append(UInt8(ascii: "]"))
        return output
    }
}
