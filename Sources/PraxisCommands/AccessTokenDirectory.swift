public import PraxisDomain
public import PraxisProtocol
public import PraxisStore

/// Which member an access token belongs to, read from the log's `access_token_issued` and
/// `access_token_revoked` events. Every lookup first reads what the log gained since the last
/// one, so a revoked token stops working at once.
public actor AccessTokenDirectory<Store: EventStore> {
    let store: Store
    var checkpoint = LogPosition.start
    var members: [String: (member: MemberID, token: AccessTokenID)] = [:]

    public init(store: Store) {
        self.store = store
    }

    /// The member whose active token hashes to `hash`, if any.
    public func member(forTokenHash hash: EventHash) async throws(StoreError) -> MemberID? {
        try await catchUp()
        return members[hash.base64URL]?.member
    }

    /// Reads the log's tokens now, so that the first request after a start on a long log does not
    /// wait for it.
    public func prepare() async throws(StoreError) {
        try await catchUp()
    }

    private func catchUp() async throws(StoreError) {
        while true {
            let page = try await store.read(from: checkpoint.next, limit: 1000)
            for recorded in page {
                switch recorded.type.rawValue {
                case AccessTokenIssued.type:
                    if let issued = try? EventRegistry.decode(recorded.envelope) as? AccessTokenIssued {
                        members[issued.tokenHash] = (issued.member, issued.token)
                    }
                case AccessTokenRevoked.type:
                    if let revoked = try? EventRegistry.decode(recorded.envelope) as? AccessTokenRevoked {
                        members = members.filter { $0.value.token != revoked.token }
                    }
                default:
                    break
                }
                checkpoint = recorded.position
            }
            if page.count < 1000 { return }
        }
    }
}
