public import Foundation

/// A point in time with millisecond precision, written on the wire in exactly one form:
/// `YYYY-MM-DDTHH:MM:SS.sssZ` (RFC 3339, UTC, three fraction digits).
///
/// One form means a timestamp inside signed bytes always re-encodes to the same bytes.
///
/// ```swift
/// let time = Timestamp(rfc3339: "2026-11-27T12:00:00.000Z")   // 1795780800000 ms since 1970
/// time?.rfc3339                                                // "2026-11-27T12:00:00.000Z"
/// ```
public struct Timestamp: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// Milliseconds since 1970-01-01T00:00:00Z.
    public let millisecondsSinceEpoch: Int64

    /// The earliest and latest instants with a four-digit year.
    public static let range: ClosedRange<Int64> = -62_167_219_200_000...253_402_300_799_999

    public init(millisecondsSinceEpoch: Int64) {
        self.millisecondsSinceEpoch = millisecondsSinceEpoch
    }

    /// The instant of `date`, truncated to whole milliseconds.
    public init(_ date: Date) {
        self.init(millisecondsSinceEpoch: Int64((date.timeIntervalSince1970 * 1000).rounded(.down)))
    }

    /// This instant as a `Date`.
    public var date: Date { Date(timeIntervalSince1970: Double(millisecondsSinceEpoch) / 1000) }

    public static func < (lhs: Timestamp, rhs: Timestamp) -> Bool {
        lhs.millisecondsSinceEpoch < rhs.millisecondsSinceEpoch
    }

    public var description: String { rfc3339 }

    /// The wire form, `YYYY-MM-DDTHH:MM:SS.sssZ`.
    public var rfc3339: String {
        var bytes: [UInt8] = []
        appendRFC3339(to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Appends the wire form's 24 ASCII bytes to `bytes` (for writers that build JSON as bytes).
    public func appendRFC3339(to bytes: inout [UInt8]) {
        let clamped = min(max(millisecondsSinceEpoch, Self.range.lowerBound), Self.range.upperBound)
        let (days, millisecondOfDay) = clamped.floorDivided(by: 86_400_000)
        let (year, month, day) = CivilCalendar.date(fromDaysSinceEpoch: days)
        let seconds = millisecondOfDay / 1000
        let fields: [(value: Int64, width: Int, separator: UInt8)] = [
            (year, 4, UInt8(ascii: "-")), (month, 2, UInt8(ascii: "-")), (day, 2, UInt8(ascii: "T")),
            (seconds / 3600, 2, UInt8(ascii: ":")), (seconds / 60 % 60, 2, UInt8(ascii: ":")),
            (seconds % 60, 2, UInt8(ascii: ".")), (millisecondOfDay % 1000, 3, UInt8(ascii: "Z")),
        ]
        for field in fields {
            appendDigits(field.value, width: field.width, to: &bytes)
            bytes.append(field.separator)
        }
    }

    /// Parses the wire form; `nil` for anything else (other offsets, other precisions, invalid dates).
    public init?(rfc3339 text: String) {
        let bytes = Array(text.utf8)
        guard bytes.count == 24, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-"),
            bytes[10] == UInt8(ascii: "T"), bytes[13] == UInt8(ascii: ":"), bytes[16] == UInt8(ascii: ":"),
            bytes[19] == UInt8(ascii: "."), bytes[23] == UInt8(ascii: "Z"),
            let year = number(bytes[0..<4]), let month = number(bytes[5..<7]), let day = number(bytes[8..<10]),
            let hour = number(bytes[11..<13]), let minute = number(bytes[14..<16]),
            let second = number(bytes[17..<19]), let millisecond = number(bytes[20..<23]),
            (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second < 60
        else { return nil }
        let days = CivilCalendar.daysSinceEpoch(year: year, month: month, day: day)
        guard CivilCalendar.date(fromDaysSinceEpoch: days) == (year, month, day) else { return nil }
        let milliseconds = ((days * 24 + hour) * 60 + minute) * 60_000 + second * 1000 + millisecond
        self.init(millisecondsSinceEpoch: milliseconds)
    }
}

/// Appends `value` (not negative, below 10^width) as exactly `width` decimal digits.
private func appendDigits(_ value: Int64, width: Int, to bytes: inout [UInt8]) {
    var divisor: Int64 = 1
    for _ in 1..<width { divisor *= 10 }
    var rest = value
    while divisor > 0 {
        bytes.append(UInt8(ascii: "0") + UInt8(rest / divisor % 10))
        rest %= divisor
        divisor /= 10
    }
}

private func number(_ bytes: ArraySlice<UInt8>) -> Int64? {
    var value: Int64 = 0
    for byte in bytes {
        guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
        value = value * 10 + Int64(byte - UInt8(ascii: "0"))
    }
    return value
}

extension Int64 {
    /// Division rounding toward negative infinity, with a non-negative remainder.
    fileprivate func floorDivided(by divisor: Int64) -> (quotient: Int64, remainder: Int64) {
        let quotient = self / divisor - (self % divisor < 0 ? 1 : 0)
        return (quotient, self - quotient * divisor)
    }
}

/// Proleptic Gregorian calendar arithmetic on days since 1970-01-01 (after H. Hinnant's
/// `days_from_civil` / `civil_from_days`), so timestamps need no locale or time-zone database.
enum CivilCalendar {
    static func daysSinceEpoch(year: Int64, month: Int64, day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    static func date(fromDaysSinceEpoch days: Int64) -> (year: Int64, month: Int64, day: Int64) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }
}

extension Timestamp: Codable {
    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let time = Timestamp(rfc3339: text) else {
            throw DecodingError.dataCorrupted(
                .init(codingPath: decoder.codingPath, debugDescription: "must be a UTC time of the form YYYY-MM-DDTHH:MM:SS.sssZ")
            )
        }
        self = time
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rfc3339)
    }
}
