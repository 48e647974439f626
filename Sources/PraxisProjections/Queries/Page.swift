public import PraxisProtocol
public import PraxisStore

/// One page of a read, with the log position it reflects, held as the API sends it: each item and
/// each extra section in its canonical JSON bytes (RFC 8785). A hot read writes its rows straight
/// to those bytes (``CanonicalObjectWriter``) instead of building values to encode afterwards.
public struct Page: Sendable {
    /// Each item's canonical bytes, in the page's order.
    public let items: [[UInt8]]
    /// Extra sections by name (a roster's pending requests for moderators, the home feed's pinned
    /// announcements), each one value's canonical bytes.
    public private(set) var extra: [String: [UInt8]] = [:]
    /// Where to continue, when there is more.
    public let nextCursor: String?
    /// The lowest checkpoint of the read models this page was read from.
    public let position: LogPosition

    /// A page of items already in canonical form.
    public init(encodedItems: [[UInt8]], nextCursor: String?, position: LogPosition) {
        self.items = encodedItems
        self.nextCursor = nextCursor
        self.position = position
    }

    /// A page of `items`, each encoded now.
    public init(items: [JSONValue], nextCursor: String?, position: LogPosition) {
        self.init(encodedItems: items.map(CanonicalJSON.encode), nextCursor: nextCursor, position: position)
    }

    /// Sets section `name` to `value`, encoded now.
    public mutating func setExtra(_ name: String, _ value: JSONValue) {
        extra[name] = CanonicalJSON.encode(value)
    }

    /// Sets section `name` to an array of elements already in canonical form.
    public mutating func setExtra(_ name: String, encodedElements: [[UInt8]]) {
        extra[name] = CanonicalJSON.array(encoded: encodedElements)
    }

    /// The items as JSON values, parsed from their bytes.
    public func itemValues() throws(JSONParseError) -> [JSONValue] {
        try items.map { bytes throws(JSONParseError) in try JSONParser.parse(bytes) }
    }

    /// Section `name` as a JSON value, parsed from its bytes; nil when the page has no such section.
    public func extraValue(_ name: String) throws(JSONParseError) -> JSONValue? {
        try extra[name].map { bytes throws(JSONParseError) in try JSONParser.parse(bytes) }
    }
}
