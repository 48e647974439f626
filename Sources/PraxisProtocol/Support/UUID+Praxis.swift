public import Foundation

extension UUID {
    /// The wire form: lowercase, hyphenated (`0190f5a0-8c1e-7b3a-9f00-2a6c1d4e5f60`).
    public var wireString: String { uuidString.lowercased() }

    /// Parses the wire form only (lowercase, hyphenated); `nil` otherwise, so that an id inside
    /// signed bytes always re-encodes to the same text.
    public init?(wireString text: String) {
        guard let uuid = UUID(uuidString: text), uuid.wireString == text else { return nil }
        self = uuid
    }

    /// A version 7 UUID (RFC 9562 §5.7): 48 bits of Unix milliseconds, then random bits, so ids
    /// created later sort later.
    ///
    /// ```swift
    /// var random = SystemRandomNumberGenerator()
    /// let id = UUID.version7(at: Timestamp(Date()), using: &random)
    /// ```
    public static func version7(at time: Timestamp, using random: inout some RandomNumberGenerator) -> UUID {
        let milliseconds = UInt64(bitPattern: time.millisecondsSinceEpoch)
        var bytes = [UInt8](repeating: 0, count: 16)
        for index in 0..<6 {
            bytes[index] = UInt8(truncatingIfNeeded: milliseconds >> (8 * (5 - index)))
        }
        for index in 6..<16 { bytes[index] = UInt8.random(in: .min ... .max, using: &random) }
        bytes[6] = 0x70 | (bytes[6] & 0x0F)
        bytes[8] = 0x80 | (bytes[8] & 0x3F)
        return UUID(
            uuid: (
                bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7],
                bytes[8], bytes[9], bytes[10], bytes[11], bytes[12], bytes[13], bytes[14], bytes[15]
            ))
    }
}
