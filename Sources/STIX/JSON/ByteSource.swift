#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A source of bytes read in chunks, so a bundle of any size streams through bounded memory.
public protocol ByteSource {
    /// Returns the next chunk, or nil at the end of input.
    mutating func nextChunk() throws(ByteSourceError) -> [UInt8]?
}

/// A failure to read input (the file vanished, permission denied, an I/O error).
public struct ByteSourceError: Error, Sendable, CustomStringConvertible {
    /// What went wrong, in words.
    public var reason: String
    public var description: String { reason }
}

/// Reads a file descriptor (a file, a pipe, standard input) in chunks.
///
/// ```swift
/// var source = try FileByteSource(path: "bundle.json")   // or FileByteSource.standardInput()
/// ```
public final class FileByteSource: ByteSource {
    private let fd: Int32
    private let ownsDescriptor: Bool
    private let chunkSize: Int
    /// Total bytes read so far, for progress reporting.
    public private(set) var bytesRead = 0

    /// Opens `path` for reading; "-" means standard input.
    public init(path: String, chunkSize: Int = 1 << 20) throws(ByteSourceError) {
        self.chunkSize = chunkSize
        if path == "-" {
            fd = 0
            ownsDescriptor = false
            return
        }
        let opened = open(path, O_RDONLY)
        guard opened >= 0 else {
            throw ByteSourceError(reason: "cannot open \(path): \(String(cString: strerror(errno)))")
        }
        var info = stat()
        if fstat(opened, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR {
            close(opened)
            throw ByteSourceError(reason: "\(path) is a directory, expected a JSON file")
        }
        fd = opened
        ownsDescriptor = true
    }

    deinit { if ownsDescriptor { close(fd) } }

    public func nextChunk() throws(ByteSourceError) -> [UInt8]? {
        var chunk = [UInt8](repeating: 0, count: chunkSize)
        while true {
            let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, chunkSize) }
            if n < 0 {
                if errno == EINTR { continue }
                throw ByteSourceError(reason: "read failed: \(String(cString: strerror(errno)))")
            }
            if n == 0 { return nil }
            bytesRead += n
            chunk.removeLast(chunkSize - n)
            return chunk
        }
    }
}

/// Serves bytes already in memory (a TAXII request body, a test fixture) as one chunk.
public struct MemoryByteSource: ByteSource {
    private var bytes: [UInt8]?

    /// Wraps `bytes`.
    public init(_ bytes: [UInt8]) { self.bytes = bytes }

    public mutating func nextChunk() throws(ByteSourceError) -> [UInt8]? {
        defer { bytes = nil }
        return bytes
    }
}
