import Foundation
import Hummingbird
import PraxisCommands
import PraxisDomain
import PraxisProtocol
import PraxisStore

/// `POST /v1/operator/members/{member}/tokens`: mints an access token for a member. The token
/// (256 random bits, base64url) is in this answer only; the log records its SHA-256.
struct AccessTokenRoutes<Store: EventStore> {
    let service: CommandService<Store>
    let clock: @Sendable () -> Timestamp

    func register(on group: RouterGroup<PraxisRequestContext>) {
        group.post("/members/{member}/tokens") { _, context in
            guard let member = context.parameters.get("member").flatMap(MemberID.init) else {
                throw APIError.invalidField("member", "must be a lowercase hyphenated UUID")
            }
            let minted = AccessTokenMint.mint(at: clock())
            try await service.execute(
                IssueAccessToken(member: member, token: minted.id, tokenHash: minted.hash), as: .operator)
            return JSONResponse(
                [
                    "member": .string(member.description), "token_id": .string(minted.id.description),
                    "token": .string(minted.token),
                ],
                status: .created)
        }
    }
}
