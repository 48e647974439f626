import Crypto
import Foundation
import PraxisDomain

/// Community ids numbered densely in the order the log first names them. What is kept for every
/// post names its community in 4 bytes rather than 16, and a pull cursor names the communities a
/// device holds by number (``CommunityBits``).
///
/// The numbering follows from the log alone, so every node folding the same log numbers alike;
/// ``digest(ofFirst:)`` lets a cursor check that the numbers it was written with still mean the
/// same communities.
struct CommunityNumbering: Sendable {
    typealias Number = UInt32
    private var ids: [CommunityID] = []
    private var numbers: [CommunityID: Number] = [:]
    /// `digests[n]`: the digest of the first `n + 1` ids (``digest(ofFirst:)``).
    private var digests: [UInt64] = []

    /// How many communities are numbered: the numbers are `0..<count`.
    var count: Int { ids.count }

    /// The number of `community`, given a new one the first time.
    mutating func number(for community: CommunityID) -> Number {
        if let number = numbers[community] { return number }
        let number = Number(ids.count)
        digests.append(Self.chain(digests.last ?? 0, community))
        ids.append(community)
        numbers[community] = number
        return number
    }

    /// The number of `community`, if it has one.
    func number(of community: CommunityID) -> Number? { numbers[community] }

    /// The community numbered `number`, if one is.
    func id(_ number: Number) -> CommunityID? {
        Int(number) < ids.count ? ids[Int(number)] : nil
    }

    /// A digest of the first `count` ids in their order: the first 8 bytes of SHA-256 over the
    /// digest before (0 for none) and the id, chained; 0 for none, `nil` past ``count``.
    func digest(ofFirst count: Int) -> UInt64? {
        guard count >= 0, count <= digests.count else { return nil }
        return count == 0 ? 0 : digests[count - 1]
    }

    private static func chain(_ previous: UInt64, _ community: CommunityID) -> UInt64 {
        var input: [UInt8] = []
        input.reserveCapacity(24)
        withUnsafeBytes(of: previous.bigEndian) { input += $0 }
        withUnsafeBytes(of: community.uuid.uuid) { input += $0 }
        return SHA256.hash(data: input).withUnsafeBytes { UInt64(bigEndian: $0.loadUnaligned(as: UInt64.self)) }
    }
}
