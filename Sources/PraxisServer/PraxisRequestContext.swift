public import Hummingbird
public import PraxisDomain

/// The context every Praxis request carries through middleware and handlers.
public struct PraxisRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The member the request is authenticated as, once ``MemberAuthMiddleware`` has run.
    public var member: MemberID?

    public init(source: Source) {
        self.coreContext = .init(source: source)
    }
}
