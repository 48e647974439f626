/// What one leaf of the log's Merkle tree commits to: the event's position, its hash, the server's
/// time, and the author's signature (empty until signed sync).
///
/// The leaf's bytes: `position` (8 bytes, big-endian) ‖ event hash (32 bytes) ‖ `server_time` in
/// milliseconds since 1970 (8 bytes, big-endian, two's complement) ‖ signature length (2 bytes,
/// big-endian) ‖ signature. The leaf hash is `SHA-256(0x00 ‖ bytes)`.
public struct MerkleLeaf: Sendable, Hashable {
    public let position: Int64
    public let eventHash: EventHash
    public let serverTime: Timestamp
    public let signature: [UInt8]

    public init(position: Int64, eventHash: EventHash, serverTime: Timestamp, signature: [UInt8] = []) {
        self.position = position
        self.eventHash = eventHash
        self.serverTime = serverTime
        self.signature = signature
    }

    /// The leaf of an event whose author signed it (or did not): the leaf commits to the
    /// signature's canonical JSON object.
    public init(position: Int64, eventHash: EventHash, serverTime: Timestamp, authorSignature: EventSignature?) {
        self.init(
            position: position, eventHash: eventHash, serverTime: serverTime,
            signature: authorSignature.map { CanonicalJSON.encode($0.json) } ?? [])
    }

    /// The bytes the leaf hash is computed over.
    public var bytes: [UInt8] {
        var bytes = Self.bigEndian(UInt64(bitPattern: position), count: 8)
        bytes += eventHash.bytes
        bytes += Self.bigEndian(UInt64(bitPattern: serverTime.millisecondsSinceEpoch), count: 8)
        bytes += Self.bigEndian(UInt64(signature.count), count: 2)
        bytes += signature
        return bytes
    }

    /// `SHA-256(0x00 ‖ bytes)`.
    public var hash: MerkleTree.Hash { MerkleTree.leafHash(bytes) }

    private static func bigEndian(_ value: UInt64, count: Int) -> [UInt8] {
        (0..<count).map { UInt8(truncatingIfNeeded: value >> (8 * (count - 1 - $0))) }
    }
}
