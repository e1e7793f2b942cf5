import Foundation
import Matching
import STIX

/// A CSV column and the observable property it holds (`--map src=ipv4-addr:value`).
struct CSVMapping {
    let column: String
    let property: ObservableProperty

    /// Parses `COLUMN=type:prop[.sub]`; quoted steps are not needed (hashes.SHA-256 works).
    static func parse(_ text: String) -> CSVMapping? {
        guard let eq = text.firstIndex(of: "="), let colon = text[eq...].firstIndex(of: ":") else { return nil }
        let column = String(text[..<eq]), type = String(text[text.index(after: eq)..<colon])
        let steps = text[text.index(after: colon)...].split(separator: ".", omittingEmptySubsequences: false).map {
            String($0).trimmingCharacters(in: CharacterSet(charactersIn: "'"))
        }
        guard !column.isEmpty, IdentifierRules.isValidTypeName(type), !steps.isEmpty, steps.allSatisfy({ !$0.isEmpty }) else { return nil }
        return CSVMapping(column: column, property: ObservableProperty(type: type, steps: steps))
    }
}

/// One input of `accord match`: its lines, read in large blocks, and how to read a record.
struct MatchInput {
    enum Kind { case plain, jsonl, csv }
    let path: String
    let kind: Kind
    let mappings: [CSVMapping]
    private let fd: Int32
    private var pending: [UInt8]

    init(path: String, kind: String, mappings: [CSVMapping]) throws {
        self.path = path
        self.mappings = mappings
        let fd = path == "-" ? 0 : open(path, O_RDONLY)
        guard fd >= 0 else { throw CommandFailure("\(path): cannot open (\(String(cString: strerror(errno))))") }
        self.fd = fd
        var pending: [UInt8] = []
        switch kind {
        case "plain": self.kind = .plain
        case "jsonl": self.kind = .jsonl
        case "csv": self.kind = .csv
        default:
            // Guess: the extension, else the first character of the data.
            let lower = path.lowercased()
            if lower.hasSuffix(".csv") {
                self.kind = .csv
            } else if lower.hasSuffix(".jsonl") || lower.hasSuffix(".json") || lower.hasSuffix(".ndjson") {
                self.kind = .jsonl
            } else {
                var first: UInt8?
                var block = [UInt8](repeating: 0, count: 1 << 16)
                while first == nil {
                    let n = block.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
                    if n <= 0 { break }
                    pending += block[0..<n]
                    first = pending.first { $0 != 0x20 && $0 != 0x0A && $0 != 0x0D && $0 != 0x09 }
                }
                self.kind = first == UInt8(ascii: "{") ? .jsonl : .plain
            }
        }
        self.pending = pending
        if self.kind == .csv && mappings.isEmpty { throw CommandFailure("\(path): CSV input needs --map COLUMN=type:property") }
    }

    /// Calls `line` for each line as text (without its line break).
    private mutating func lines(_ line: (Int, Substring) throws -> Void) throws {
        try byteLines { number, bytes in try line(number, Substring(String(decoding: bytes, as: UTF8.self))) }
    }

    /// Calls `line` for each line's bytes (without its line break), reading 1 MiB at a time.
    private mutating func byteLines(_ line: (Int, UnsafeBufferPointer<UInt8>) throws -> Void) throws {
        var block = [UInt8](repeating: 0, count: 1 << 20)
        var number = 0
        var carry = pending
        var done = false
        while !done {
            let n = block.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0 { throw CommandFailure("\(path): read failed (\(String(cString: strerror(errno))))") }
            if n == 0 { done = true } else { carry += block[0..<n] }
            var start = 0
            try carry.withUnsafeBufferPointer { all in
                while let newline = all[start...].firstIndex(of: 0x0A) {
                    number += 1
                    var end = newline
                    if end > start, all[end - 1] == 0x0D { end -= 1 }
                    try line(number, UnsafeBufferPointer(rebasing: all[start..<end]))
                    start = newline + 1
                }
                if done, start < all.count {
                    number += 1
                    try line(number, UnsafeBufferPointer(rebasing: all[start...]))
                    start = all.count
                }
            }
            carry.removeFirst(start)
        }
        if fd != 0 { close(fd) }
    }

    /// Matches every record against `index`, reporting to `report`.
    func each(index: IndicatorIndex, report: MatchReport) throws {
        var me = self
        let now = Int64(Date().timeIntervalSince1970 * 1_000_000)
        switch kind {
        case .plain:
            // Each kind's tables are resolved once; a line then costs a classification and a lookup.
            let lookups = PlainObservable.allCases.map { index.lookup($0.property) }
            try me.byteLines { number, raw in
                var lo = 0, hi = raw.count
                while lo < hi, raw[lo] == 0x20 || raw[lo] == 0x09 { lo += 1 }
                while hi > lo, raw[hi - 1] == 0x20 || raw[hi - 1] == 0x09 { hi -= 1 }
                guard lo < hi, raw[lo] != UInt8(ascii: "#") else { return }
                let bytes = UnsafeBufferPointer(rebasing: raw[lo..<hi])
                report.record()
                guard let kind = PlainObservable.infer(bytes: bytes) else {
                    report.unrecognised(path, number, String(decoding: bytes, as: UTF8.self))
                    return
                }
                let text = String(decoding: bytes, as: UTF8.self)
                for indicator in lookups[kind.rawValue].matches(text, time: now) {
                    report.match(indicator, source: path, line: number, type: kind.property.type, value: text, time: now)
                }
            }
        case .jsonl:
            try me.lines { number, raw in
                guard !raw.allSatisfy(\.isWhitespace) else { return }
                report.record()
                let observations: [Observation]
                do {
                    let value = try JSONParser.parse(Array(raw.utf8))
                    observations = try Observation.of(value, now: now)
                } catch {
                    report.unrecognised(path, number, "\(error)")
                    return
                }
                for observation in observations { report.matches(index.matches(observation), observation, source: path, line: number) }
            }
        case .csv:
            var columns: [(index: Int, property: ObservableProperty)] = []
            try me.lines { number, raw in
                let fields = CSV.fields(raw)
                if number == 1 {
                    for m in mappings {
                        guard let i = fields.firstIndex(of: m.column) else { throw CommandFailure("\(path): no column '\(m.column)' in the header (\(fields.joined(separator: ", ")))") }
                        columns.append((i, m.property))
                    }
                    return
                }
                guard !raw.isEmpty else { return }
                report.record()
                var objects: [(key: String, value: JSONObject)] = []
                for (i, property) in columns where i < fields.count && !fields[i].isEmpty {
                    objects = Self.place(fields[i], at: property, in: objects)
                }
                guard !objects.isEmpty else { return }
                let observation = Observation(id: "observed-data", firstObserved: now, lastObserved: now, count: 1, objects: objects)
                report.matches(index.matches(observation), observation, source: path, line: number)
            }
        }
    }

    /// Puts a CSV value into the object of its type (one object per type and record).
    static func place(_ value: String, at property: ObservableProperty, in objects: [(key: String, value: JSONObject)]) -> [(key: String, value: JSONObject)] {
        var objects = objects
        let i = objects.firstIndex { $0.value["type"]?.stringValue == property.type } ?? {
            objects.append((String(objects.count), JSONObject([("type", .string(property.type))])))
            return objects.count - 1
        }()
        func set(_ object: JSONObject, _ steps: ArraySlice<String>) -> JSONObject {
            var members = Array(object)
            let name = steps.first!
            let existing = members.firstIndex { $0.key == name }
            let newValue: JSONValue = steps.count == 1 ? .string(value) : .object(set(existing.flatMap { members[$0].value.objectValue } ?? JSONObject(), steps.dropFirst()))
            if let existing { members[existing].value = newValue } else { members.append((name, newValue)) }
            return JSONObject(members)
        }
        objects[i].value = set(objects[i].value, ArraySlice(property.steps))
        return objects
    }
}

/// Splitting a CSV line (RFC 4180 quoting; a quoted field does not span lines).
enum CSV {
    static func fields(_ line: Substring) -> [String] {
        var out: [String] = []
        var field = ""
        var quoted = false
        var i = line.startIndex
        while i < line.endIndex {
            let c = line[i]
            if quoted {
                if c == "\"" {
                    let next = line.index(after: i)
                    if next < line.endIndex, line[next] == "\"" { field.append("\""); i = next } else { quoted = false }
                } else {
                    field.append(c)
                }
            } else if c == "\"" && field.isEmpty {
                quoted = true
            } else if c == "," {
                out.append(field)
                field = ""
            } else {
                field.append(c)
            }
            i = line.index(after: i)
        }
        out.append(field)
        return out.map { $0.trimmingCharacters(in: .whitespaces) }
    }
}
