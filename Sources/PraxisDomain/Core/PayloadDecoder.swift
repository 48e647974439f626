import Foundation
import PraxisProtocol

/// Decodes a domain event straight from its payload's JSON values.
///
/// It matches keys as Foundation's `JSONDecoder` does with `.convertFromSnakeCase` (each object's
/// keys are converted, then looked up by the Swift property name), and reads numbers, strings,
/// booleans, arrays and objects the same way. Going through `JSONDecoder` meant writing the
/// payload out as JSON text and parsing it again for every event decoded — by projections, pushes
/// and reads of the log. Domain payloads hold no `Date`, `Data`, `URL`, `Decimal` or
/// string-keyed dictionaries, which `JSONDecoder` treats specially; `PayloadCodingTests` checks
/// every event of a demo organisation against `JSONDecoder`.
enum PayloadDecoder {
    static func decode<Value: Decodable>(_ type: Value.Type, from payload: [String: JSONValue]) throws -> Value {
        try Value(from: ValueDecoder(.object(payload), parentPath: [], key: nil))
    }

    /// A payload key in the form Foundation's `.convertFromSnakeCase` gives it: `learning_event` →
    /// `learningEvent`; leading and trailing underscores kept; a key without one left as it is.
    static func camelCased(_ key: String) -> String {
        guard key.utf8.contains(UInt8(ascii: "_")), let first = key.firstIndex(where: { $0 != "_" }) else { return key }
        if let converted = camelCasedLowercaseASCII(key) { return converted }
        var last = key.index(before: key.endIndex)
        while last > first, key[last] == "_" { key.formIndex(before: &last) }
        let words = key[first...last].split(separator: "_")
        guard words.count > 1 else { return key }
        let joined = words[0].lowercased() + words.dropFirst().map(capitalized).joined()
        return String(key[..<first]) + joined + String(key[key.index(after: last)...])
    }

    /// ``camelCased(_:)`` of a key of lowercase ASCII letters and underscores (nearly every payload
    /// key), byte by byte: a letter after an underscore inside the key is uppercased, the
    /// underscores inside are dropped, leading and trailing ones kept. `nil` for any other key.
    private static func camelCasedLowercaseASCII(_ key: String) -> String? {
        let bytes = key.utf8
        guard bytes.allSatisfy({ $0 == UInt8(ascii: "_") || (UInt8(ascii: "a")...UInt8(ascii: "z")).contains($0) }),
            let first = bytes.firstIndex(where: { $0 != UInt8(ascii: "_") }),
            let last = bytes.lastIndex(where: { $0 != UInt8(ascii: "_") })
        else { return nil }
        var converted = Array(bytes[..<first])
        converted.reserveCapacity(bytes.count)
        var afterUnderscore = false
        for byte in bytes[first...last] {
            if byte == UInt8(ascii: "_") {
                afterUnderscore = true
            } else {
                converted.append(afterUnderscore ? byte - 32 : byte)
                afterUnderscore = false
            }
        }
        converted += bytes[bytes.index(after: last)...]
        return String(decoding: converted, as: UTF8.self)
    }

    /// `word.capitalized`, without Foundation's word breaking for the common case of lowercase
    /// ASCII letters only (with a digit, `b1b` becomes `B1B`).
    private static func capitalized(_ word: Substring) -> String {
        guard word.utf8.allSatisfy({ (UInt8(ascii: "a")...UInt8(ascii: "z")).contains($0) }) else {
            return word.capitalized
        }
        return word.prefix(1).uppercased() + word.dropFirst()
    }
}

/// A `Decoder` over one JSON value.
///
/// It keeps its parent's coding path and its own key apart and joins them only when asked (an
/// error, a nested container): joining them for every member decoded was a tenth of decoding.
private struct ValueDecoder: Decoder {
    let value: JSONValue
    private let parentPath: [any CodingKey]
    private let key: (any CodingKey)?
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    init(_ value: JSONValue, parentPath: [any CodingKey], key: (any CodingKey)?) {
        self.value = value
        self.parentPath = parentPath
        self.key = key
    }

    var codingPath: [any CodingKey] { key.map { parentPath + [$0] } ?? parentPath }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        guard case .object(let object) = value else {
            throw DecodingError.mismatch([String: Any].self, value, at: codingPath)
        }
        return KeyedDecodingContainer(KeyedValues<Key>(object, codingPath: codingPath))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        guard case .array(let array) = value else { throw DecodingError.mismatch([Any].self, value, at: codingPath) }
        return UnkeyedValues(array, codingPath: codingPath)
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer { self }
}

extension ValueDecoder: SingleValueDecodingContainer {
    func decodeNil() -> Bool { value == .null }
    func decode(_ type: Bool.Type) throws -> Bool { try ValueReading.bool(value, at: codingPath) }
    func decode(_ type: String.Type) throws -> String { try ValueReading.string(value, at: codingPath) }
    func decode(_ type: Double.Type) throws -> Double { try ValueReading.number(value, at: codingPath) }
    func decode(_ type: Float.Type) throws -> Float { try ValueReading.float(value, at: codingPath) }
    func decode(_ type: Int.Type) throws -> Int { try ValueReading.integer(value, at: codingPath) }
    func decode(_ type: Int8.Type) throws -> Int8 { try ValueReading.integer(value, at: codingPath) }
    func decode(_ type: Int16.Type) throws -> Int16 { try ValueReading.integer(value, at: codingPath) }
    func decode(_ type: Int32.Type) throws -> Int32 { try ValueReading.integer(value, at: codingPath) }
    func decode(_ type: Int64.Type) throws -> Int64 { try ValueReading.integer(value, at: codingPath) }
    func decode(_ type: UInt.Type) throws -> UInt { try ValueReading.integer(value, at: codingPath) }
    func decode(_ type: UInt8.Type) throws -> UInt8 { try ValueReading.integer(value, at: codingPath) }
    func decode(_ type: UInt16.Type) throws -> UInt16 { try ValueReading.integer(value, at: codingPath) }
    func decode(_ type: UInt32.Type) throws -> UInt32 { try ValueReading.integer(value, at: codingPath) }
    func decode(_ type: UInt64.Type) throws -> UInt64 { try ValueReading.integer(value, at: codingPath) }
    func decode<T: Decodable>(_ type: T.Type) throws -> T { try T(from: self) }
}

/// An object's members, keyed by their camel-cased names.
private struct KeyedValues<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let codingPath: [any CodingKey]
    private let members: [String: JSONValue]

    /// Converts the keys of every object decoded. Unlike the encoder's property names, these are
    /// not cached: they come from pushed payloads, so a cache would grow with whatever is sent.
    init(_ object: [String: JSONValue], codingPath: [any CodingKey]) {
        self.codingPath = codingPath
        let isCamelCase = !object.keys.contains { $0.utf8.contains(UInt8(ascii: "_")) }
        self.members =
            isCamelCase
            ? object
            : Dictionary(
                object.map { (PayloadDecoder.camelCased($0.key), $0.value) }, uniquingKeysWith: { first, _ in first })
    }

    var allKeys: [Key] { members.keys.compactMap { Key(stringValue: $0) } }

    func contains(_ key: Key) -> Bool { members[key.stringValue] != nil }

    private func member(_ key: Key) throws -> JSONValue {
        guard let value = members[key.stringValue] else {
            throw DecodingError.keyNotFound(
                key, .init(codingPath: codingPath, debugDescription: "no value for the key \(key.stringValue)"))
        }
        return value
    }

    private func decoder(_ key: Key) throws -> ValueDecoder {
        ValueDecoder(try member(key), parentPath: codingPath, key: key)
    }

    func decodeNil(forKey key: Key) throws -> Bool { try member(key) == .null }
    func decode(_ type: Bool.Type, forKey key: Key) throws -> Bool {
        try ValueReading.bool(member(key), at: codingPath + [key])
    }
    func decode(_ type: String.Type, forKey key: Key) throws -> String {
        try ValueReading.string(member(key), at: codingPath + [key])
    }
    func decode(_ type: Double.Type, forKey key: Key) throws -> Double {
        try ValueReading.number(member(key), at: codingPath + [key])
    }
    func decode(_ type: Float.Type, forKey key: Key) throws -> Float { try decoder(key).decode(type) }
    func decode(_ type: Int.Type, forKey key: Key) throws -> Int {
        try ValueReading.integer(member(key), at: codingPath + [key])
    }
    func decode(_ type: Int8.Type, forKey key: Key) throws -> Int8 { try decoder(key).decode(type) }
    func decode(_ type: Int16.Type, forKey key: Key) throws -> Int16 { try decoder(key).decode(type) }
    func decode(_ type: Int32.Type, forKey key: Key) throws -> Int32 { try decoder(key).decode(type) }
    func decode(_ type: Int64.Type, forKey key: Key) throws -> Int64 {
        try ValueReading.integer(member(key), at: codingPath + [key])
    }
    func decode(_ type: UInt.Type, forKey key: Key) throws -> UInt { try decoder(key).decode(type) }
    func decode(_ type: UInt8.Type, forKey key: Key) throws -> UInt8 { try decoder(key).decode(type) }
    func decode(_ type: UInt16.Type, forKey key: Key) throws -> UInt16 { try decoder(key).decode(type) }
    func decode(_ type: UInt32.Type, forKey key: Key) throws -> UInt32 { try decoder(key).decode(type) }
    func decode(_ type: UInt64.Type, forKey key: Key) throws -> UInt64 { try decoder(key).decode(type) }
    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T { try T(from: decoder(key)) }

    func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws
        -> KeyedDecodingContainer<NestedKey>
    {
        try decoder(key).container(keyedBy: type)
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
        try decoder(key).unkeyedContainer()
    }

    func superDecoder() throws -> any Decoder {
        ValueDecoder(members["super"] ?? .null, parentPath: codingPath, key: nil)
    }

    func superDecoder(forKey key: Key) throws -> any Decoder {
        ValueDecoder(members[key.stringValue] ?? .null, parentPath: codingPath, key: key)
    }
}

/// An array's elements, read in order.
private struct UnkeyedValues: UnkeyedDecodingContainer {
    let codingPath: [any CodingKey]
    private let elements: [JSONValue]
    private(set) var currentIndex = 0

    init(_ elements: [JSONValue], codingPath: [any CodingKey]) {
        self.elements = elements
        self.codingPath = codingPath
    }

    var count: Int? { elements.count }
    var isAtEnd: Bool { currentIndex >= elements.count }

    private mutating func next() throws -> ValueDecoder {
        let key = ArrayIndexKey(currentIndex)
        guard !isAtEnd else {
            throw DecodingError.valueNotFound(
                JSONValue.self,
                .init(codingPath: codingPath + [key], debugDescription: "the array has only \(elements.count) elements"))
        }
        defer { currentIndex += 1 }
        return ValueDecoder(elements[currentIndex], parentPath: codingPath, key: key)
    }

    mutating func decodeNil() throws -> Bool {
        guard !isAtEnd, elements[currentIndex] == .null else { return false }
        currentIndex += 1
        return true
    }

    mutating func decode(_ type: Bool.Type) throws -> Bool { try next().decode(type) }
    mutating func decode(_ type: String.Type) throws -> String { try next().decode(type) }
    mutating func decode(_ type: Double.Type) throws -> Double { try next().decode(type) }
    mutating func decode(_ type: Float.Type) throws -> Float { try next().decode(type) }
    mutating func decode(_ type: Int.Type) throws -> Int { try next().decode(type) }
    mutating func decode(_ type: Int8.Type) throws -> Int8 { try next().decode(type) }
    mutating func decode(_ type: Int16.Type) throws -> Int16 { try next().decode(type) }
    mutating func decode(_ type: Int32.Type) throws -> Int32 { try next().decode(type) }
    mutating func decode(_ type: Int64.Type) throws -> Int64 { try next().decode(type) }
    mutating func decode(_ type: UInt.Type) throws -> UInt { try next().decode(type) }
    mutating func decode(_ type: UInt8.Type) throws -> UInt8 { try next().decode(type) }
    mutating func decode(_ type: UInt16.Type) throws -> UInt16 { try next().decode(type) }
    mutating func decode(_ type: UInt32.Type) throws -> UInt32 { try next().decode(type) }
    mutating func decode(_ type: UInt64.Type) throws -> UInt64 { try next().decode(type) }
    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T { try T(from: next()) }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws
        -> KeyedDecodingContainer<NestedKey>
    {
        try next().container(keyedBy: type)
    }

    mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer { try next().unkeyedContainer() }

    mutating func superDecoder() throws -> any Decoder { try next() }
}

/// The key of an array element in a coding path.
struct ArrayIndexKey: CodingKey {
    let intValue: Int?
    var stringValue: String { "Index \(intValue ?? 0)" }

    init(_ index: Int) { intValue = index }
    init?(stringValue: String) { nil }
    init?(intValue: Int) { self.intValue = intValue }
}

/// Reading one JSON value as a Swift scalar, with `JSONDecoder`'s errors: `valueNotFound` for
/// `null`, `typeMismatch` for another kind, `dataCorrupted` for a number the type cannot hold
/// exactly.
private enum ValueReading {
    static func bool(_ value: JSONValue, at path: @autoclosure () -> [any CodingKey]) throws -> Bool {
        guard case .bool(let bool) = value else { throw DecodingError.mismatch(Bool.self, value, at: path()) }
        return bool
    }

    static func string(_ value: JSONValue, at path: @autoclosure () -> [any CodingKey]) throws -> String {
        guard case .string(let string) = value else { throw DecodingError.mismatch(String.self, value, at: path()) }
        return string
    }

    static func number(_ value: JSONValue, at path: @autoclosure () -> [any CodingKey]) throws -> Double {
        guard case .number(let number) = value else { throw DecodingError.mismatch(Double.self, value, at: path()) }
        return number
    }

    static func float(_ value: JSONValue, at path: @autoclosure () -> [any CodingKey]) throws -> Float {
        let number = try number(value, at: path())
        guard abs(number) <= Double(Float.greatestFiniteMagnitude) else {
            throw DecodingError.dataCorrupted(
                .init(codingPath: path(), debugDescription: "the number \(number) does not fit in Float"))
        }
        return Float(number)
    }

    static func integer<Integer: FixedWidthInteger>(_ value: JSONValue, at path: @autoclosure () -> [any CodingKey]) throws
        -> Integer
    {
        let number = try number(value, at: path())
        guard let integer = Integer(exactly: number) else {
            throw DecodingError.dataCorrupted(
                .init(codingPath: path(), debugDescription: "the number \(number) does not fit in \(Integer.self)"))
        }
        return integer
    }
}

extension DecodingError {
    /// `valueNotFound` when `value` is `null`, else `typeMismatch`.
    fileprivate static func mismatch(_ type: Any.Type, _ value: JSONValue, at path: [any CodingKey]) -> DecodingError {
        if value == .null {
            return .valueNotFound(type, .init(codingPath: path, debugDescription: "expected \(type), found null"))
        }
        return .typeMismatch(type, .init(codingPath: path, debugDescription: "expected \(type), found \(value)"))
    }
}
