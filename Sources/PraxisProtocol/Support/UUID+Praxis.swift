public import Foundation

extension UUID {
    /// The wire form: lowercase, hyphenated (`0190f5a0-8c1e-7b3a-9f00-2a6c1d4e5f60`).
    ///
    /// Written directly rather than as `uuidString.lowercased()`: ids are formatted for every row
    /// a read returns, and lowercasing showed in the read path's profile.
    public var wireString: String {
        withUnsafeBytes(of: uuid) { bytes in
            String(unsafeUninitializedCapacity: 36) { output in
                var written = 0
                for (index, byte) in bytes.enumerated() {
                    if index == 4 || index == 6 || index == 8 || index == 10 {
                        output[written] = UInt8(ascii: "-")
                        written += 1
                    }
                    output[written] = Self.hexDigits[Int(byte >> 4)]
                    output[written + 1] = Self.hexDigits[Int(byte & 0x0F)]
                    written += 2
                }
                return written
            }
        }
    }

    /// Parses the wire form only (lowercase, hyphenated); `nil` otherwise, so that an id inside
    /// signed bytes always re-encodes to the same text.
    ///
    /// Read from the string's UTF-8 without allocating: every id in every event decoded goes
    /// through here.
    public init?(wireString text: String) {
        var text = text
        guard let value = text.withUTF8({ Self.wireValue($0) }) else { return nil }
        self = UUID(uuid: value)
    }

    /// The 16 bytes of a wire-form UUID's UTF-8: 36 bytes, hyphens at 8, 13, 18 and 23, lowercase
    /// hexadecimal digits in pairs between them.
    private static func wireValue(_ utf8: UnsafeBufferPointer<UInt8>) -> uuid_t? {
        guard utf8.count == 36 else { return nil }
        var value: uuid_t = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        let parsed = withUnsafeMutableBytes(of: &value) { output -> Bool in
            var (index, written) = (0, 0)
            while index < 36 {
                if index == 8 || index == 13 || index == 18 || index == 23 {
                    guard utf8[index] == UInt8(ascii: "-") else { return false }
                    index += 1
                    continue
                }
                guard let high = nibble(utf8[index]), let low = nibble(utf8[index + 1]) else { return false }
                output[written] = high << 4 | low
                (index, written) = (index + 2, written + 1)
            }
            return true
        }
        return parsed ? value : nil
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)

    /// The value of a lowercase hexadecimal digit.
    private static func nibble(_ character: UInt8) -> UInt8? {
        switch character {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): character - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): character - UInt8(ascii: "a") + 10
        default: nil
        }
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
