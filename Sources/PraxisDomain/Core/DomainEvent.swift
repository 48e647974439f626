public import PraxisProtocol

/// An event of the Praxis domain: a fact, named in the past tense, with a versioned payload.
///
/// Payload fields are the Swift property names in snake_case (`learningEvent` → `learning_event`).
public protocol DomainEvent: Codable, Sendable, Equatable {
    /// The event type on the wire, such as `post_created`.
    static var type: String { get }
    /// The current schema version of the payload.
    static var schemaVersion: Int64 { get }
}

/// An event decided but not yet appended, with the stream it goes to.
public struct PendingEvent: Sendable {
    /// The stream it will be appended to.
    public let stream: StreamName
    /// The fact.
    public let event: any DomainEvent

    public init(_ stream: StreamName, _ event: any DomainEvent) {
        self.stream = stream
        self.event = event
    }
}

/// Turns domain events into payloads and back.
public enum EventCoding {
    /// The payload object of `event` (Swift property names to snake_case, as `JSONEncoder`'s
    /// `.convertToSnakeCase` does), built straight as JSON values.
    public static func payload(of event: some DomainEvent) -> [String: JSONValue] {
        // Encoding plain Codable structs of strings, whole numbers, booleans and arrays cannot
        // fail, and a struct encodes to an object.
        guard case .object(let payload)? = try? PayloadEncoder.encode(event) else {
            preconditionFailure("\(type(of: event)) did not encode to a JSON object")
        }
        return payload
    }

    /// Decodes a payload as `type` (snake_case keys to the Swift property names, as
    /// `JSONDecoder`'s `.convertFromSnakeCase` does), straight from its JSON values.
    public static func decode<Event: DomainEvent>(_ type: Event.Type, from payload: [String: JSONValue]) throws -> Event {
        try PayloadDecoder.decode(Event.self, from: payload)
    }
}
