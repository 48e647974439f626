import Foundation
public import PraxisDomain
public import PraxisProtocol

/// Makes access tokens.
public enum AccessTokenMint {
    /// A fresh token: its id, the secret itself, and the secret's SHA-256.
    public static func mint(at time: Timestamp) -> (id: AccessTokenID, token: String, hash: EventHash) {
        var random = SystemRandomNumberGenerator()
        let token = Base64URL.encode((0..<32).map { _ in UInt8.random(in: .min ... .max, using: &random) })
        return (AccessTokenID(UUID.version7(at: time, using: &random)), token, EventHash(hashing: token.utf8))
    }
}
