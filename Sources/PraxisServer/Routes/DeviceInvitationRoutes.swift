import Hummingbird
import PraxisDomain
import PraxisProtocol
import PraxisStore
import PraxisSync

/// `POST /v1/operator/devices/invitations`: a one-time enrollment code for a member's device.
struct DeviceInvitationRoutes<Store: EventStore> {
    let sync: SyncService<Store>
    let bodyLimit: Int

    /// Codes are valid for a day unless `valid_for_seconds` says otherwise (at most 30 days).
    static var defaultValidity: Int64 { 86_400 }

    func register(on group: RouterGroup<PraxisRequestContext>) {
        let (sync, bodyLimit) = (self.sync, self.bodyLimit)
        group.post("/devices/invitations") { request, _ in
            let fields = try await RequestBody.object(of: request, limit: bodyLimit)
            guard let member = fields["member"]?.stringValue.flatMap(MemberID.init) else {
                throw APIError.invalidField("member", "must be a member id")
            }
            let seconds = fields["valid_for_seconds"]?.integerValue ?? Self.defaultValidity
            guard (60...2_592_000).contains(seconds) else {
                throw APIError.invalidField("valid_for_seconds", "must be from 60 to 2592000")
            }
            let (code, expiresAt) = try await sync.invite(member: member, validity: .seconds(seconds))
            return JSONResponse(
                ["code": .string(code), "member": .string(member.description), "expires_at": .string(expiresAt.rfc3339)],
                status: .created)
        }
    }
}
