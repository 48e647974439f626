public import PraxisDomain
public import PraxisStore

/// Why a command did not take effect. In every case nothing was written.
public enum CommandFailure: Error, Sendable, CustomStringConvertible {
    /// The domain refused the command; the rejection says why and how to recover.
    case rejected(Rejection)
    /// The log could not be read or written.
    case storage(StoreError)
    /// Other writers kept changing the same streams; retrying later will likely succeed.
    case contention(String)
    /// An event in a stream the command needed could not be read as a domain event.
    case unreadableHistory(String)

    public var description: String {
        switch self {
        case .rejected(let rejection): "\(rejection)"
        case .storage(let error): "\(error)"
        case .contention(let message): "contention: \(message)"
        case .unreadableHistory(let message): "unreadable history: \(message)"
        }
    }
}
