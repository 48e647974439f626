/// Writes one JSON object's canonical bytes member by member, for a caller that knows its members'
/// names in RFC 8785 order ahead of time: nothing is built as a ``JSONValue`` and nothing is
/// sorted, so a read model's row goes straight to the bytes an answer sends.
///
/// ```swift
/// var writer = CanonicalObjectWriter()
/// writer.string("kind", "question")
/// writer.integer("position", 42)
/// let bytes = writer.finish()   // {"kind":"question","position":42}
/// ```
///
/// Members must be written in the order of ``CanonicalJSON/precedes(_:_:)``, each name once; the
/// result is then exactly ``CanonicalJSON/encode(_:)`` of the same object. Debug builds check the
/// order.
public struct CanonicalObjectWriter {
    private var output: [UInt8]
    private var lastName: String?

    /// An empty object, with room for about `capacity` bytes.
    public init(capacity: Int = 256) {
        output = [UInt8(ascii: "{")]
        output.reserveCapacity(capacity)
    }

    /// Writes member `name` with a string value.
    public mutating func string(_ name: String, _ value: String) {
        writeName(name)
        CanonicalJSON.writeString(value, into: &output)
    }

    /// Writes member `name` with an integer value, as ECMAScript writes the number (plain digits
    /// below 2^53, the nearest double's shortest form beyond).
    public mutating func integer(_ name: String, _ value: Int64) {
        writeName(name)
        if value.magnitude < 1 << 53 {
            output.append(contentsOf: String(value).utf8)
        } else {
            CanonicalJSON.write(.number(Double(value)), into: &output)
        }
    }

    /// Writes member `name` with any value.
    public mutating func value(_ name: String, _ value: JSONValue) {
        writeName(name)
        CanonicalJSON.write(value, into: &output)
    }

    /// Writes member `name` with a value given as its canonical bytes, such as an object another
    /// writer finished; the bytes are copied as they are.
    public mutating func canonical(_ name: String, _ bytes: [UInt8]) {
        writeName(name)
        output.append(contentsOf: bytes)
    }

    /// The object's canonical bytes.
    public consuming func finish() -> [UInt8] {
        output.append(UInt8(ascii: "}"))
        return output
    }

    private mutating func writeName(_ name: String) {
        if let lastName {
            assert(CanonicalJSON.precedes(lastName, name), "member \(name) written after \(lastName)")
            output.append(UInt8(ascii: ","))
        }
        lastName = name
        CanonicalJSON.writeString(name, into: &output)
        output.append(UInt8(ascii: ":"))
    }
}
