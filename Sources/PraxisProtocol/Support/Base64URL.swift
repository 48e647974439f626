/// Base64url without padding (RFC 4648 §5), the form of every binary value on the Praxis wire.
///
/// Table-driven: hashes, signatures and event bytes are encoded for every row an append writes and
/// every event a pull sends, and going through Foundation's base64 and string replacing was a
/// quarter of a PostgreSQL append's client time.
public enum Base64URL {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)
    /// Each byte's 6-bit value, or `invalid`.
    private static let values: [UInt8] = {
        var table = [UInt8](repeating: invalid, count: 256)
        for (value, character) in alphabet.enumerated() { table[Int(character)] = UInt8(value) }
        return table
    }()
    private static let invalid: UInt8 = 0xFF

    /// Encodes `bytes`.
    public static func encode(_ bytes: some Sequence<UInt8>) -> String {
        let input = Array(bytes)
        let count = (input.count * 4 + 2) / 3
        return String(unsafeUninitializedCapacity: count) { output in
            var (read, written) = (0, 0)
            func put(_ bits: UInt32, _ shift: UInt32) {
                output[written] = alphabet[Int((bits >> shift) & 63)]
                written += 1
            }
            while read + 3 <= input.count {
                let bits = UInt32(input[read]) << 16 | UInt32(input[read + 1]) << 8 | UInt32(input[read + 2])
                put(bits, 18)
                put(bits, 12)
                put(bits, 6)
                put(bits, 0)
                read += 3
            }
            switch input.count - read {
            case 1:
                let bits = UInt32(input[read]) << 16
                put(bits, 18)
                put(bits, 12)
            case 2:
                let bits = UInt32(input[read]) << 16 | UInt32(input[read + 1]) << 8
                put(bits, 18)
                put(bits, 12)
                put(bits, 6)
            default:
                break
            }
            return written
        }
    }

    /// Decodes `text`; `nil` when it is not unpadded base64url (padding, the standard alphabet's
    /// `+` and `/`, whitespace, or a length that leaves a lone character are all refused).
    public static func decode(_ text: String) -> [UInt8]? {
        let input = Array(text.utf8)
        guard input.count % 4 != 1 else { return nil }
        var output: [UInt8] = []
        output.reserveCapacity(input.count * 3 / 4)
        var bits: UInt32 = 0
        var pending = 0
        for character in input {
            let value = values[Int(character)]
            guard value != invalid else { return nil }
            bits = bits << 6 | UInt32(value)
            pending += 6
            if pending >= 8 {
                pending -= 8
                output.append(UInt8(truncatingIfNeeded: bits >> UInt32(pending)))
            }
        }
        return output
    }
}
