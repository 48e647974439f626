public import PraxisProtocol
public import PraxisStore

/// One object a read answers with (a profile, a community), and the log position of the roster
/// that decided who may see it.
public struct ReadObject: Sendable {
    /// The object's fields, as the API sends them.
    public let json: JSONValue
    /// The roster's checkpoint.
    public let position: LogPosition
}
