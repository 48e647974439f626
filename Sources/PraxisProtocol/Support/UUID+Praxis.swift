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
    /// created later sort later. Each of the ten bytes after the time is the low byte of one draw
    /// from `random` (a seeded generator gives the same ids it always gave).
    ///
    /// ```swift
    /// var random = SystemRandomNumberGenerator()
    /// let id = UUID.version7(at: Timestamp(Date()), using: &random)
    /// ```
    public static func version7(at time: Timestamp, using random: inout some RandomNumberGenerator) -> UUID {
        let milliseconds = UInt64(bitPattern: time.millisecondsSinceEpoch)
        func timeByte(_ index: Int) -> UInt8 { UInt8(truncatingIfNeeded: milliseconds >> (8 * (5 - index))) }
        func randomByte() -> UInt8 { UInt8(truncatingIfNeeded: random.next()) }
        let (b0, b1, b2, b3, b4, b5) = (timeByte(0), timeByte(1), timeByte(2), timeByte(3), timeByte(4), timeByte(5))
        let b6 = 0x70 | (randomByte() & 0x0F)
        let b7 = randomByte()
        let b8 = 0x80 | (randomByte() & 0x3F)
        return UUID(
            uuid: (
                b0, b1, b2, b3, b4, b5, b6, b7, b8, randomByte(), randomByte(), randomByte(), randomByte(), randomByte(),
                randomByte(), randomByte()
            ))
    }
}
