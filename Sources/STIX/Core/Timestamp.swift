/// A STIX timestamp (`YYYY-MM-DDTHH:MM:SS[.fraction]Z`, RFC 3339 in UTC) as microseconds.
///
/// Accord orders and compares versions by this value; sub-microsecond digits are kept in the
/// original JSON but not in the comparison key.
///
/// ```swift
/// let t = try Timestamp.parse("2016-05-12T08:17:27.000Z")
/// t.fractionDigits // 3
/// ```
public struct Timestamp: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// Microseconds since 1970-01-01T00:00:00Z.
    public let microseconds: Int64
    /// How many fraction digits the text had (0 when none).
    public let fractionDigits: Int

    /// Creates a timestamp from microseconds since the epoch.
    public init(microseconds: Int64, fractionDigits: Int = 6) {
        self.microseconds = microseconds
        self.fractionDigits = fractionDigits
    }

    public static func < (a: Timestamp, b: Timestamp) -> Bool { a.microseconds < b.microseconds }

    /// Parses STIX/TAXII timestamp text, or returns the reason it is not one.
    public static func parse(_ text: String) -> Result<Timestamp, TimestampError> {
        // Read in place: observed data carries two per object, and copying the bytes out cost
        // more than parsing them.
        text.withUTF8Bytes(parse)
    }

    private static func parse(_ b: UnsafeBufferPointer<UInt8>) -> Result<Timestamp, TimestampError> {
        // The fixed part, YYYY-MM-DDTHH:MM:SS, is checked eight bytes at a time (observed data
        // carries two timestamps per object): three overlapping words cover its 19 bytes.
        guard b.count >= 20, let p = b.baseAddress else { return .failure(.format) }
        let raw = UnsafeRawPointer(p)
        func word(_ offset: Int) -> UInt64 { UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self)) }
        guard fits(word(0), 0xFFF0_F0FF_F0F0_F0F0, 0x2D30_302D_3030_3030),       // YYYY-MM-
              fits(word(8), 0xF0F0_FFF0_F0FF_F0F0, 0x3030_3A30_3054_3030),       // DDTHH:MM
              fits(word(11), 0xF0F0_FFF0_F0FF_F0F0, 0x3030_3A30_303A_3030)       // HH:MM:SS
        else { return .failure(.format) }
        func digit(_ k: Int) -> Int { Int(p[k] & 0x0F) }
        let year = digit(0) * 1000 + digit(1) * 100 + digit(2) * 10 + digit(3)
        let month = digit(5) * 10 + digit(6), day = digit(8) * 10 + digit(9)
        let hour = digit(11) * 10 + digit(12), minute = digit(14) * 10 + digit(15), second = digit(17) * 10 + digit(18)
        var i = 19
        var fraction: Int64 = 0
        var fractionDigits = 0
        if p[i] == 0x2E {
            i += 1
            while i < b.count, p[i] >= 0x30, p[i] <= 0x39 {
                if fractionDigits < 6 { fraction = fraction * 10 + Int64(p[i] - 0x30) }
                fractionDigits += 1
                i += 1
            }
            if fractionDigits == 0 { return .failure(.format) }
        }
        guard i + 1 == b.count, p[i] == 0x5A else { return .failure(.format) }
        // Up to microseconds: a table, where a loop multiplied once for each missing digit.
        switch fractionDigits {
        case 0: break
        case 1: fraction *= 100_000
        case 2: fraction *= 10_000
        case 3: fraction *= 1_000
        case 4: fraction *= 100
        case 5: fraction *= 10
        default: break
        }
        guard year >= 1, (1...12).contains(month), day >= 1, day <= daysIn(month: month, year: year),
              hour <= 23, minute <= 59, second <= 59
        else { return .failure(.outOfRange) }
        let days = daysFromCivil(year: year, month: month, day: day)
        let seconds = Int64(days) * 86_400 + Int64(hour * 3600 + minute * 60 + second)
        return .success(Timestamp(microseconds: seconds * 1_000_000 + fraction, fractionDigits: fractionDigits))
    }

    /// Whether each byte of `word` is an ASCII digit where `mask` holds 0xF0, and equals the
    /// byte of `template` where `mask` holds 0xFF (`template` holds 0x30 at the digits).
    @inline(__always)
    private static func fits(_ word: UInt64, _ mask: UInt64, _ template: UInt64) -> Bool {
        // Each digit's low half plus 6 reaches 0x10 only when it is past 9; no carry leaves a byte.
        let low = ~mask
        return word & mask == template && ((word & low) &+ (low & 0x0606_0606_0606_0606)) & (low << 4) == 0
    }

    /// The TAXII form: always six fraction digits (`2021-01-01T00:00:00.000000Z`).
    public var taxiiString: String { format(fractionDigits: 6) }

    /// The STIX form with millisecond precision (`2021-01-01T00:00:00.000Z`).
    public var description: String { format(fractionDigits: 3) }

    /// Formats with the given number of fraction digits (0, 3 or 6).
    public func format(fractionDigits digits: Int) -> String {
        let secondsTotal = microseconds >= 0 ? microseconds / 1_000_000 : (microseconds - 999_999) / 1_000_000
        let micros = microseconds - secondsTotal * 1_000_000
        let days = secondsTotal >= 0 ? secondsTotal / 86_400 : (secondsTotal - 86_399) / 86_400
        let rem = Int(secondsTotal - days * 86_400)
        let (y, m, d) = civilFromDays(Int(days))
        func pad(_ v: Int, _ n: Int) -> String {
            let s = String(v)
            return s.count >= n ? s : String(repeating: "0", count: n - s.count) + s
        }
        var out = "\(pad(y, 4))-\(pad(m, 2))-\(pad(d, 2))T\(pad(rem / 3600, 2)):\(pad(rem / 60 % 60, 2)):\(pad(rem % 60, 2))"
        if digits > 0 {
            var f = Int(micros)
            for _ in digits..<6 { f /= 10 }
            out += "." + pad(f, digits)
        }
        return out + "Z"
    }
}

/// Why a text is not a STIX timestamp.
public enum TimestampError: Error, Sendable, CustomStringConvertible {
    /// Not of the form `YYYY-MM-DDTHH:MM:SS[.s+]Z`.
    case format
    /// Well formed but not a real date or time (month 13, February 30).
    case outOfRange

    public var description: String {
        switch self {
        case .format: return "must be an RFC 3339 timestamp in UTC of the form YYYY-MM-DDTHH:MM:SS[.s+]Z"
        case .outOfRange: return "is not a valid calendar date and time"
        }
    }
}

func isLeap(_ y: Int) -> Bool { (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 }

func daysIn(month: Int, year: Int) -> Int {
    switch month {
    case 2: return isLeap(year) ? 29 : 28
    case 4, 6, 9, 11: return 30
    default: return 31
    }
}

/// Days since 1970-01-01 for a proleptic Gregorian date from year 1 on (Howard Hinnant's algorithm).
func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
    // From year 1 on (the parser checks it first) every quotient is of a non-negative number:
    // unsigned, they need neither sign corrections nor overflow checks.
    let y = UInt(bitPattern: month <= 2 ? year &- 1 : year)
    let era = y / 400
    let yoe = y &- era &* 400
    let mp = UInt(bitPattern: month &+ 9) % 12
    let doy = (153 &* mp &+ 2) / 5 &+ UInt(bitPattern: day) &- 1
    let doe = yoe &* 365 &+ yoe / 4 &- yoe / 100 &+ doy
    return Int(bitPattern: era &* 146_097 &+ doe) &- 719_468
}

func civilFromDays(_ z0: Int) -> (Int, Int, Int) {
    let z = z0 + 719_468
    let era = (z >= 0 ? z : z - 146_096) / 146_097
    let doe = z - era * 146_097
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
    let mp = (5 * doy + 2) / 153
    let d = doy - (153 * mp + 2) / 5 + 1
    let m = mp < 10 ? mp + 3 : mp - 9
    return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
}
