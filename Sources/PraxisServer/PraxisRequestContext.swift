public import Hummingbird

/// The context every Praxis request carries through middleware and handlers.
public struct PraxisRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage

    public init(source: Source) {
        self.coreContext = .init(source: source)
    }
}
