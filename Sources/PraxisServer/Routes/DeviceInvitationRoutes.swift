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

    /// The members a request may have.
    private static var fields: BodyFields { BodyFields(["member", "valid_for_seconds"]) }

    /// `valid_for_seconds` if given (a whole number from 60 to 30 days), else a day; a value of
    /// another type is an error, never the default.
    private static func validity(_ value: JSONValue?) throws(APIError) -> Int64 {
        guard let value else { return defaultValidity }
        guard let seconds = value.integerValue, (60...2_592_000).contains(seconds) else {
            throw APIError.invalidField("valid_for_seconds", "must be a whole number from 60 to 2592000")
        }
        return seconds
    }

    func register(on group: RouterGroup<PraxisRequestContext>) {
        let (sync, bodyLimit) = (self.sync, self.bodyLimit)
        group.post("/devices/invitations") { request, _ in
            let fields = try Self.fields.check(try await RequestBody.object(of: request, limit: bodyLimit))
            guard let member = fields["member"]?.stringValue.flatMap(MemberID.init) else {
                throw APIError.invalidField("member", "must be a member id")
            }
            let seconds = try Self.validity(fields["valid_for_seconds"])
            let (code, expiresAt) = try await sync.invite(member: member, validity: .seconds(seconds))
            return JSONResponse(
                ["code": .string(code), "member": .string(member.description), "expires_at": .string(expiresAt.rfc3339)],
                status: .created)
        }
    }
}
