/// Writes a double as ECMAScript's `Number.prototype.toString` does (ECMA-262 §7.1.12.1), the
/// number form RFC 8785 §3.2.2.3 prescribes.
///
/// The shortest digits that round-trip come from Swift's own `description` (which is specified to
/// be the shortest round-trip form, closest to the exact value on ties); this type only lays them
/// out the ECMAScript way: plain decimals for exponents from -6 to 20, `d.ddde±x` otherwise, and
/// `-0` written as `0`.
public enum ECMAScriptNumber {
    /// The ECMAScript form of a finite `value`. Non-finite values have no JSON form; the parser
    /// never produces them and callers building ``JSONValue`` by hand must not either.
    public static func format(_ value: Double) -> String {
        precondition(value.isFinite, "JSON has no form for \(value)")
        if value == 0 { return "0" }
        // Below 2^53 every integer is a double of its own, so its digits are the shortest that
        // read back to it, and ECMAScript writes integers below 10^21 without an exponent.
        if value.magnitude < 9_007_199_254_740_992, value == value.rounded(.towardZero) { return String(Int64(value)) }
        return formatFromShortestDigits(value)
    }

    /// ``format(_:)`` through the shortest round-trip digits, for every finite non-zero value.
    static func formatFromShortestDigits(_ value: Double) -> String {
        let (digits, exponent) = shortestDigits(of: value.magnitude)
        let sign = value < 0 ? "-" : ""
        return sign + layOut(digits: digits, pointPosition: exponent)
    }

    /// The shortest round-trip decimal digits of a positive finite value, without leading or
    /// trailing zeros, and `n` such that the value is `0.d1d2d3… × 10^n`.
    static func shortestDigits(of value: Double) -> (digits: [UInt8], pointPosition: Int) {
        let description = value.description
        let parts = description.split(separator: "e", maxSplits: 1)
        let mantissa = parts[0]
        let exponent = parts.count > 1 ? Int(parts[1]) ?? 0 : 0
        var digits: [UInt8] = []
        var integerDigits = 0
        var seenPoint = false
        for byte in mantissa.utf8 {
            if byte == UInt8(ascii: ".") {
                seenPoint = true
                continue
            }
            digits.append(byte)
            if !seenPoint { integerDigits += 1 }
        }
        var pointPosition = integerDigits + exponent
        while let first = digits.first, first == UInt8(ascii: "0") {
            digits.removeFirst()
            pointPosition -= 1
        }
        while let last = digits.last, last == UInt8(ascii: "0") { digits.removeLast() }
        return (digits, pointPosition)
    }

    private static func layOut(digits: [UInt8], pointPosition n: Int) -> String {
        let k = digits.count
        let text = String(decoding: digits, as: UTF8.self)
        if k <= n && n <= 21 {
            return text + String(repeating: "0", count: n - k)
        }
        if 0 < n && n <= 21 {
            return String(decoding: digits[..<n], as: UTF8.self) + "." + String(decoding: digits[n...], as: UTF8.self)
        }
        if -6 < n && n <= 0 {
            return "0." + String(repeating: "0", count: -n) + text
        }
        let exponent = n - 1
        let exponentText = (exponent < 0 ? "-" : "+") + String(exponent.magnitude)
        if k == 1 { return text + "e" + exponentText }
        return String(decoding: digits[..<1], as: UTF8.self) + "." + String(decoding: digits[1...], as: UTF8.self)
            + "e" + exponentText
    }
}
