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

    /// A text field (NULL for nil): backslash, tab, newline and carriage return escaped.
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
                default: buffer.writeInteger(byte)
                }
            }
        }
    }

    private static func needsEscape(_ byte: UInt8) -> Bool { byte == 0x5C || byte == 0x09 || byte == 0x0A || byte == 0x0D }

    /// A bytea field: `\\x` and two hex digits a byte.
    mutating func bytes(_ v: [UInt8]) {
        separate()
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

    /// Sends the rows with COPY ... FROM STDIN (nothing when there are none).
    func copy(into table: String, columns: [String], _ db: PostgresConnection) async throws {
        guard !isEmpty else { return }
        try await db.copyFrom(table: table, columns: columns, logger: PostgresStore.quiet) { writer in
            try await writer.write(buffer)
        }
    }
}
