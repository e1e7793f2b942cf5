import NIOCore
import PostgresNIO

/// Rows in COPY's text format, built in one buffer and sent in one COPY.
struct CopyRows {
    private(set) var buffer = ByteBuffer()
    private var started = false

    var isEmpty: Bool { buffer.readableBytes == 0 }

    /// Appends one row; `fill` writes its fields in column order.
    mutating func row(_ fill: (inout CopyRows) -> Void) {
        started = false
        fill(&self)
        buffer.writeInteger(UInt8(ascii: "\n"))
    }

    private mutating func separate() {
        if started { buffer.writeInteger(UInt8(ascii: "\t")) }
        started = true
    }

    /// A bigint field (NULL for nil).
    mutating func int(_ v: Int64?) {
        separate()
        if let v { buffer.writeString(String(v)) } else { buffer.writeStaticString("\\N") }
    }

    /// A boolean field.
    mutating func bool(_ v: Bool) {
        separate()
        buffer.writeInteger(v ? UInt8(ascii: "t") : UInt8(ascii: "f"))
    }

    /// A text field (NULL for nil): backslash, tab, newline and carriage return escaped, and
    /// U+0000 (which PostgreSQL text cannot hold, though JSON strings may) written as the text
    /// `\u0000`, as the audit log writes it.
    mutating func text(_ v: String?) {
        separate()
        guard var value = v else { buffer.writeStaticString("\\N"); return }
        value.withUTF8 { (bytes: UnsafeBufferPointer<UInt8>) in
            if !bytes.contains(where: Self.needsEscape) {
                buffer.writeBytes(bytes)
                return
            }
            for byte in bytes {
                switch byte {
                case 0x5C: buffer.writeStaticString("\\\\")
                case 0x09: buffer.writeStaticString("\\t")
                case 0x0A: buffer.writeStaticString("\\n")
                case 0x0D: buffer.writeStaticString("\\r")
                case 0x00: buffer.writeStaticString("\\\\u0000")
                default: buffer.writeInteger(byte)
                }
            }
        }
    }

    private static func needsEscape(_ byte: UInt8) -> Bool { byte == 0x5C || byte == 0x09 || byte == 0x0A || byte == 0x0D || byte == 0 }

    /// A bytea field, in whichever of bytea's two text forms is shorter: JSON that is mostly
    /// ASCII goes in the escape form (printable bytes as they are, about half the size of hex
    /// and cheaper for the server to read), text that is mostly not ASCII in hex.
    mutating func bytes(_ v: [UInt8]) {
        separate()
        var extra = 0
        for byte in v where !Self.printable(byte) { extra += byte == 0x5C ? 3 : 4 }
        if v.count + extra <= 2 * v.count + 3 {
            escaped(v, length: v.count + extra)
        } else {
            hex(v)
        }
    }

    /// Bytes bytea's escape form writes as themselves (not the backslash, which it doubles).
    private static func printable(_ byte: UInt8) -> Bool { byte >= 0x20 && byte < 0x7F && byte != 0x5C }

    /// The escape form, with COPY's own escaping on top: a backslash is `\\\\`, any other
    /// byte that is not printable `\\` and three octal digits.
    private mutating func escaped(_ v: [UInt8], length: Int) {
        buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: length) { out in
            var n = 0
            for byte in v {
                if Self.printable(byte) {
                    out[n] = byte
                    n += 1
                } else if byte == 0x5C {
                    for i in 0..<4 { out[n + i] = 0x5C }
                    n += 4
                } else {
                    out[n] = 0x5C
                    out[n + 1] = 0x5C
                    out[n + 2] = UInt8(ascii: "0") + (byte >> 6)
                    out[n + 3] = UInt8(ascii: "0") + ((byte >> 3) & 7)
                    out[n + 4] = UInt8(ascii: "0") + (byte & 7)
                    n += 5
                }
            }
            return n
        }
    }

    /// The hex form: `\\x` and two hex digits a byte.
    private mutating func hex(_ v: [UInt8]) {
        let digits: StaticString = "0123456789abcdef"
        buffer.writeStaticString("\\\\x")
        buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: v.count * 2) { out in
            digits.withUTF8Buffer { d in
                for (i, byte) in v.enumerated() {
                    out[2 * i] = d[Int(byte >> 4)]
                    out[2 * i + 1] = d[Int(byte & 15)]
                }
            }
            return v.count * 2
        }
    }

    /// Sends `count` rows made by `fill` with one COPY, in pieces of about 64 KB, so the server
    /// stores a piece while the next is being made (nothing when `count` is 0).
    static func stream(into table: String, columns: [String], count: Int, _ db: PostgresConnection,
                       _ fill: (Int, inout CopyRows) -> Void) async throws {
        guard count > 0 else { return }
        try await db.copyFrom(table: table, columns: columns, logger: PostgresStore.quiet) { writer in
            var rows = CopyRows()
            for n in 0..<count {
                rows.row { fill(n, &$0) }
                if rows.buffer.readableBytes >= 1 << 16 || n == count - 1 {
                    try await writer.write(rows.buffer)
                    rows.buffer.clear()
                }
            }
        }
    }

    /// Sends the rows with COPY ... FROM STDIN (nothing when there are none).
    func copy(into table: String, columns: [String], _ db: PostgresConnection) async throws {
        guard !isEmpty else { return }
        try await db.copyFrom(table: table, columns: columns, logger: PostgresStore.quiet) { writer in
            try await writer.write(buffer)
        }
    }
}
