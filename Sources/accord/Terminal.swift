import Foundation
import STIX

/// Writing to the terminal: notes on standard error, buffered data on standard output.
enum Terminal {
    /// True when standard error is an interactive terminal (progress bars make sense there).
    static let stderrIsTTY = isatty(2) != 0

    /// Prints a line on standard error.
    static func note(_ line: String) {
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }

    /// A JSON string literal for `s` (for JSON-lines output).
    static func jsonString(_ s: String) -> String {
        var out: [UInt8] = []
        CanonicalJSON.writeString(s, to: &out)
        return String(decoding: out, as: UTF8.self)
    }
}

/// Buffers standard output into large writes (exports can be gigabytes).
final class OutputBuffer: @unchecked Sendable {
    private var buffer: [UInt8] = []
    private let lock = NSLock()

    /// Appends bytes, flushing when the buffer is large.
    func write(_ bytes: some Sequence<UInt8>) {
        lock.lock()
        buffer.append(contentsOf: bytes)
        let full = buffer.count >= 1 << 20
        lock.unlock()
        if full { flush() }
    }

    /// Appends a string.
    func write(_ s: String) { write(s.utf8) }

    /// Writes out what is buffered.
    func flush() {
        lock.lock()
        defer { lock.unlock() }
        var offset = 0
        while offset < buffer.count {
            let n = buffer.withUnsafeBytes { Glibc.write(1, $0.baseAddress! + offset, buffer.count - offset) }
            if n <= 0 {
                if errno == EINTR { continue }
                break
            }
            offset += n
        }
        buffer.removeAll(keepingCapacity: true)
    }
}

/// Shows import progress: a bar with objects/s on a terminal, a plain line every few seconds
/// otherwise (logs, CI).
final class ProgressDisplay: @unchecked Sendable {
    private let label: String
    private let totalBytes: Int?
    private let start = Date()
    private var lastShown = Date.distantPast
    private var shownBar = false
    private let lock = NSLock()

    init(label: String, totalBytes: Int?) {
        self.label = label
        self.totalBytes = totalBytes
    }

    /// Reports `objects` processed and `bytes` read so far.
    func update(objects: Int, bytes: Int) {
        lock.lock()
        defer { lock.unlock() }
        let now = Date()
        let interval: TimeInterval = Terminal.stderrIsTTY ? 0.2 : 5
        guard now.timeIntervalSince(lastShown) >= interval else { return }
        lastShown = now
        let elapsed = max(now.timeIntervalSince(start), 0.001)
        let rate = Int(Double(objects) / elapsed)
        var fraction: Double?
        if let totalBytes, totalBytes > 0 { fraction = min(1, Double(bytes) / Double(totalBytes)) }
        if Terminal.stderrIsTTY {
            let width = 30
            let filled = Int((fraction ?? 0) * Double(width))
            let bar = fraction == nil ? "" : "[" + String(repeating: "#", count: filled) + String(repeating: " ", count: width - filled) + "] \(Int((fraction ?? 0) * 100))% "
            FileHandle.standardError.write(Data("\r\(label): \(bar)\(objects) objects, \(rate) objects/s   ".utf8))
            shownBar = true
        } else {
            let percent = fraction.map { " (\(Int($0 * 100))% of input)" } ?? ""
            Terminal.note("\(label): \(objects) objects, \(rate) objects/s\(percent)")
        }
    }

    /// Ends the bar line, if one was drawn.
    func finish() {
        lock.lock()
        defer { lock.unlock() }
        if shownBar { FileHandle.standardError.write(Data("\n".utf8)) }
    }
}

/// A failure the user can fix, printed as `Error: …` with exit status 1 (no usage text).
struct CommandFailure: Error, CustomStringConvertible {
    /// What went wrong and what to do.
    var description: String

    init(_ description: String) { self.description = description }
}

extension Terminal {
    /// Prints a line on standard output at once (no buffering), for a server's start-up lines.
    static func say(_ line: String) {
        FileHandle.standardOutput.write(Data((line + "\n").utf8))
    }
}
