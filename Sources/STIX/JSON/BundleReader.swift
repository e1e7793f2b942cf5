/// One element of a bundle's or envelope's `objects` list, with its original bytes.
public struct BundleElement: Sendable {
    /// The element's bytes exactly as they appear in the input.
    public let raw: [UInt8]
    /// Position in the `objects` list (0 for a lone object).
    public let index: Int
    /// Byte offset of the element in the input, for error messages.
    public let offset: Int
}

/// The shape of a document read by `BundleReader`.
public enum DocumentShape: Sendable, Equatable {
    /// A STIX bundle: `{"type": "bundle", "id": ..., "objects": [...]}`.
    case bundle
    /// A TAXII envelope: `{"objects": [...], "more": ..., "next": ...}`.
    case envelope
    /// A single STIX object.
    case singleObject
}

/// Why a document could not be read (bad syntax, too deep, too large, truncated).
public struct DocumentError: Error, Sendable, CustomStringConvertible {
    /// Byte offset in the input where reading stopped.
    public var offset: Int
    /// Index in the `objects` list, when the problem lies inside an element.
    public var elementIndex: Int?
    /// What was wrong, in words.
    public var reason: String

    /// The JSON path of the problem, such as `$.objects[12]`, or `$`.
    public var path: String { elementIndex.map { "$.objects[\($0)]" } ?? "$" }

    /// Creates an error at `offset`, inside element `elementIndex` when given.
    public init(offset: Int, elementIndex: Int?, reason: String) {
        self.offset = offset
        self.elementIndex = elementIndex
        self.reason = reason
    }

    public var description: String { "\(path): \(reason) (at byte \(offset))" }
}

/// Streams the elements of a STIX bundle or TAXII envelope without holding the document.
///
/// The reader splits the `objects` list into per-object byte slices in one pass with bounded
/// memory (one chunk plus the largest object), checks nesting depth and object size as it goes,
/// and parses the small top-level members (`type`, `id`, `spec_version`, `more`...) fully.
/// A document that is a single object is returned as one element.
///
/// ```swift
/// var reader = BundleReader(source: try FileByteSource(path: "bundle.json"))
/// while let element = try reader.next() { ... }
/// reader.shape      // .bundle, .envelope or .singleObject
/// ```
public struct BundleReader<Source: ByteSource> {
    /// The largest object accepted; larger ones are refused rather than buffered.
    public var maxObjectSize: Int
    /// The deepest nesting accepted inside one object.
    public var maxDepth: Int

    private var source: Source
    private var buf: [UInt8] = []
    private var base = 0          // absolute offset of buf[0]
    private var pos = 0           // index into buf
    private var eof = false
    private var retainFrom: Int?  // buf index before which bytes may be dropped
    private var state = State.start
    private var elementCount = 0
    private var sawObjects = false
    private var scan = ValueScan()
    private var documentEnd = 0  // buf index just past the top-level '}'
    private var headerBytes = 0

    /// The top-level members other than `objects`, available once `next()` has returned nil.
    public private(set) var header: [String: JSONValue] = [:]

    private enum State { case start, beforeKey(first: Bool), inObjects(first: Bool), afterDocument, finished }

    /// Creates a reader over `source`.
    public init(source: Source, maxObjectSize: Int = 64 << 20, maxDepth: Int = JSONParser.defaultMaxDepth) {
        self.source = source
        self.maxObjectSize = maxObjectSize
        self.maxDepth = maxDepth
    }

    /// The document's shape; meaningful once `next()` has returned nil.
    public var shape: DocumentShape {
        if !sawObjects { return .singleObject }
        return header["type"] == nil ? .envelope : .bundle
    }

    /// Bytes consumed so far.
    public var offset: Int { base + pos }

    /// Returns the next element, or nil when the document is complete and well-formed.
    public mutating func next() throws(DocumentError) -> BundleElement? {
        while true {
            switch state {
            case .start:
                guard try skipWhitespace() else { throw fail("the input is empty, expected a STIX bundle, a TAXII envelope or a STIX object") }
                if buf[pos] == 0xEF { // UTF-8 byte order mark
                    guard try ensure(3), buf[pos + 1] == 0xBB, buf[pos + 2] == 0xBF else { throw fail("not UTF-8 JSON") }
                    pos += 3
                    guard try skipWhitespace() else { throw fail("unexpected end of input") }
                }
                guard buf[pos] == UInt8(ascii: "{") else {
                    throw fail("expected a JSON object (a STIX bundle, a TAXII envelope or a STIX object), found \(describe(buf[pos]))")
                }
                retainFrom = pos
                pos += 1
                state = .beforeKey(first: true)
            case .beforeKey(let first):
                guard try skipWhitespace() else { throw fail("unexpected end of input: the document is truncated") }
                if buf[pos] == UInt8(ascii: "}") {
                    pos += 1
                    documentEnd = pos
                    state = .afterDocument
                    continue
                }
                if !first {
                    guard buf[pos] == UInt8(ascii: ",") else { throw fail("expected ',' or '}' after a top-level member, found \(describe(buf[pos]))") }
                    pos += 1
                    guard try skipWhitespace() else { throw fail("unexpected end of input: the document is truncated") }
                }
                let key = try readKey()
                if key == "objects", header["objects"] != nil || sawObjects {
                    throw fail("duplicate top-level member \"objects\"")
                }
                if header.count >= 1_000 {
                    throw fail("more than 1,000 top-level members: this is not a bundle or envelope")
                }
                if key == "objects", try peekAfterColon() == UInt8(ascii: "[") {
                    sawObjects = true
                    retainFrom = nil
                    pos += 1
                    state = .inObjects(first: true)
                    continue
                }
                let start = try scanValue(elementIndex: nil)
                headerBytes += pos - start
                if sawObjects, headerBytes > 16 << 20 {
                    throw fail("the members beside the objects list exceed 16 MiB: this is not a bundle or envelope")
                }
                let slice = buf[start..<pos]
                let value: JSONValue
                do { value = try JSONParser.parse(slice, maxDepth: maxDepth) } catch {
                    throw DocumentError(offset: base + start + error.offset, elementIndex: nil, reason: "in top-level member \"\(key)\": \(error.reason)")
                }
                if header.updateValue(value, forKey: key) != nil || (key == "objects" && sawObjects) {
                    throw DocumentError(offset: base + start, elementIndex: nil, reason: "duplicate top-level member \"\(key)\"")
                }
                state = .beforeKey(first: false)
            case .inObjects(let first):
                guard try skipWhitespace() else { throw fail("unexpected end of input inside the objects list: the document is truncated", element: elementCount) }
                if buf[pos] == UInt8(ascii: "]") {
                    pos += 1
                    state = .beforeKey(first: false)
                    continue
                }
                if !first {
                    guard buf[pos] == UInt8(ascii: ",") else { throw fail("expected ',' or ']' between objects, found \(describe(buf[pos]))", element: elementCount) }
                    pos += 1
                    guard try skipWhitespace() else { throw fail("unexpected end of input inside the objects list: the document is truncated", element: elementCount) }
                }
                if buf[pos] == UInt8(ascii: ",") || buf[pos] == UInt8(ascii: "]") {
                    throw fail("expected an object in the objects list, found \(describe(buf[pos])) (a trailing or doubled comma?)", element: elementCount)
                }
                let start = try scanValue(elementIndex: elementCount)
                let element = BundleElement(raw: Array(buf[start..<pos]), index: elementCount, offset: base + start)
                retainFrom = nil
                elementCount += 1
                state = .inObjects(first: false)
                return element
            case .afterDocument:
                if try skipWhitespace() { throw fail("unexpected data after the end of the document") }
                state = .finished
                if !sawObjects, let from = retainFrom {
                    return BundleElement(raw: Array(buf[from..<documentEnd]), index: 0, offset: base + from)
                }
            case .finished:
                return nil
            }
        }
    }

    private func fail(_ reason: String, element: Int? = nil) -> DocumentError {
        DocumentError(offset: base + pos, elementIndex: element, reason: reason)
    }

    /// Makes at least `n` bytes available from `pos`; false at end of input.
    private mutating func ensure(_ n: Int) throws(DocumentError) -> Bool {
        while buf.count - pos < n {
            if eof { return false }
            try refill()
        }
        return true
    }

    private mutating func refill() throws(DocumentError) {
        let keep = Swift.min(retainFrom ?? pos, pos, scan.active ? scan.start : pos)
        if keep > 0 && keep > buf.count / 2 {
            buf.removeSubrange(0..<keep)
            base += keep
            pos -= keep
            if let r = retainFrom { retainFrom = r - keep }
            documentEnd -= keep
            if scan.active { scan.shift(by: keep) }
        }
        let chunk: [UInt8]?
        do { chunk = try source.nextChunk() } catch { throw DocumentError(offset: base + pos, elementIndex: nil, reason: error.reason) }
        if let chunk { buf.append(contentsOf: chunk) } else { eof = true }
        if let r = retainFrom, buf.count - r > maxObjectSize + (1 << 20), !sawObjects {
            throw DocumentError(offset: base + r, elementIndex: nil, reason: "the object is larger than \(maxObjectSize) bytes")
        }
    }

    /// Skips white space; false at end of input.
    private mutating func skipWhitespace() throws(DocumentError) -> Bool {
        while true {
            while pos < buf.count {
                switch buf[pos] {
                case 0x20, 0x0A, 0x0D, 0x09: pos += 1
                default: return true
                }
            }
            guard try ensure(1) else { return false }
        }
    }

    /// Reads a member name and the following ':'.
    private mutating func readKey() throws(DocumentError) -> String {
        guard buf[pos] == UInt8(ascii: "\"") else { throw fail("expected a member name in double quotes, found \(describe(buf[pos]))") }
        let start = try scanValue(elementIndex: nil)
        let key: String
        do {
            guard case .string(let s) = try JSONParser.parse(buf[start..<pos]) else { throw fail("expected a member name") }
            key = s
        } catch let error as JSONError {
            throw DocumentError(offset: base + start + error.offset, elementIndex: nil, reason: error.reason)
        } catch let error as DocumentError { throw error } catch { throw fail("\(error)") }
        guard try skipWhitespace(), buf[pos] == UInt8(ascii: ":") else { throw fail("expected ':' after member name \"\(key)\"") }
        pos += 1
        guard try skipWhitespace() else { throw fail("unexpected end of input: the document is truncated") }
        return key
    }

    private func peekAfterColon() throws(DocumentError) -> UInt8 { buf[pos] }

    /// Advances `pos` past one JSON value, tracking strings and nesting, without building it;
    /// returns where the value starts in `buf` (refills may have moved it).
    private mutating func scanValue(elementIndex: Int?) throws(DocumentError) -> Int {
        scan = ValueScan(start: pos, maxDepth: maxDepth)
        defer { scan.active = false }
        while true {
            let done: Bool = buf.withUnsafeBufferPointer { b in scan.advance(b) }
            pos = scan.position
            if let reason = scan.failure {
                throw DocumentError(offset: base + pos, elementIndex: elementIndex, reason: reason)
            }
            if pos - scan.start > maxObjectSize {
                throw DocumentError(offset: base + scan.start, elementIndex: elementIndex, reason: "the object is larger than \(maxObjectSize) bytes")
            }
            if done { return scan.start }
            if eof {
                if scan.isScalar && scan.position > scan.start { return scan.start } // a scalar ending at EOF
                throw DocumentError(offset: base + pos, elementIndex: elementIndex, reason: "unexpected end of input: the document is truncated")
            }
            try refill()
        }
    }
}

/// Resumable state of a scan over one JSON value.
private struct ValueScan {
    var start = 0
    var position = 0
    var depth = 0
    var inString = false
    var escaped = false
    var isScalar = false
    var begun = false
    var active = false
    var failure: String?

    init() {}
    var maxDepth = JSONParser.defaultMaxDepth
    init(start: Int, maxDepth: Int) {
        self.maxDepth = maxDepth
        self.start = start
        self.position = start
        self.active = true
    }

    mutating func shift(by n: Int) {
        start -= n
        position -= n
    }

    /// Scans as far as the buffer goes; true when the value is complete.
    mutating func advance(_ b: UnsafeBufferPointer<UInt8>) -> Bool {
        var i = position
        defer { position = i }
        if !begun {
            guard i < b.count else { return false }
            begun = true
            switch b[i] {
            case UInt8(ascii: "{"), UInt8(ascii: "["): depth = 1; i += 1
            case UInt8(ascii: "\""): inString = true; i += 1
            default: isScalar = true
            }
        }
        if isScalar {
            while i < b.count {
                switch b[i] {
                case UInt8(ascii: ","), UInt8(ascii: "]"), UInt8(ascii: "}"), 0x20, 0x0A, 0x0D, 0x09: return true
                case UInt8(ascii: "{"), UInt8(ascii: "["), UInt8(ascii: "\""):
                    failure = "unexpected \(describe(b[i])) after a value"
                    return true
                default: i += 1
                }
            }
            return false
        }
        while i < b.count {
            let c = b[i]
            i += 1
            if inString {
                if escaped { escaped = false } else if c == UInt8(ascii: "\\") { escaped = true } else if c == UInt8(ascii: "\"") {
                    inString = false
                    if depth == 0 { return true }
                }
                continue
            }
            switch c {
            case UInt8(ascii: "\""): inString = true
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                depth += 1
                if depth > maxDepth { failure = "nesting deeper than \(maxDepth) levels"; return true }
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                depth -= 1
                if depth == 0 { return true }
            default: break
            }
        }
        return false
    }
}

