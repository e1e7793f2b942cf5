import Foundation
import Matching
import STIX

/// What `accord match` found: one output line per match (jsonl, csv) or a bundle of sightings
/// (stix), a progress line on a terminal, and the counts for the summary.
final class MatchReport: @unchecked Sendable {
    let format: String
    let out = OutputBuffer()
    private(set) var records = 0
    private(set) var matched = 0
    private(set) var unrecognisedCount = 0
    private(set) var failureCount = 0
    /// Per matched indicator: how often, first and last time (for sightings).
    private var seen: [String: (indicator: IndexedIndicator, count: Int, first: Int64, last: Int64)] = [:]
    private var order: [String] = []
    private let started = Date()
    private var lastProgress = Date()

    init(format: String) {
        self.format = format
        if format == "csv" { out.write("source,line,indicator_id,indicator_name,observable_type,observable_value\n") }
    }

    /// Counts one input record (and shows progress on a terminal about once a second).
    func record() {
        records += 1
        if Terminal.stderrIsTTY, records & 0xFFFF == 0, Date().timeIntervalSince(lastProgress) >= 1 {
            lastProgress = Date()
            let rate = Int(Double(records) / Date().timeIntervalSince(started))
            FileHandle.standardError.write(Data("\r\(records) records, \(matched) matches, \(rate) records/s   ".utf8))
        }
    }

    /// A record that is not an observable or a STIX object: noted (the first ten), counted.
    func unrecognised(_ source: String, _ line: Int, _ text: String) {
        unrecognisedCount += 1
        if unrecognisedCount <= 10 { Terminal.note("\(source):\(line): skipped: \(text.prefix(200))") }
    }

    /// One indicator matched one observable.
    func match(_ indicator: IndexedIndicator, source: String, line: Int, type: String, value: String, time: Int64) {
        matched += 1
        if let kept = seen[indicator.id] {
            seen[indicator.id] = (indicator, kept.count + 1, min(kept.first, time), max(kept.last, time))
        } else {
            seen[indicator.id] = (indicator, 1, time, time)
            order.append(indicator.id)
        }
        switch format {
        case "csv":
            out.write([source, String(line), indicator.id, indicator.name ?? "", type, value].map(Self.csvField).joined(separator: ",") + "\n")
        case "jsonl":
            var line = #"{"source":\#(Terminal.jsonString(source)),"line":\#(line),"indicator":{"id":\#(Terminal.jsonString(indicator.id))"#
            if let name = indicator.name { line += #","name":\#(Terminal.jsonString(name))"# }
            line += #","pattern":\#(Terminal.jsonString(indicator.pattern))},"observable":{"type":\#(Terminal.jsonString(type)),"value":\#(Terminal.jsonString(value))}}"#
            out.write(line + "\n")
        default:
            break
        }
    }

    /// The matches of one observation; the observable named is its first object's value.
    func matches(_ result: (matched: [IndexedIndicator], failures: [(IndexedIndicator, EvaluationError)]), _ observation: Observation,
                 source: String, line: Int) {
        for (indicator, error) in result.failures {
            failureCount += 1
            if failureCount <= 10 { Terminal.note("\(source):\(line): \(indicator.id) cannot be evaluated on this record: \(error)") }
        }
        for indicator in result.matched {
            // Name the first observable of a kind the pattern tests.
            let object = observation.objects.first { indicator.objectTypes.contains($0.value["type"]?.stringValue ?? "") }?.value
                ?? observation.objects.first?.value
            let type = object?["type"]?.stringValue ?? "observed-data"
            let value = object?["value"]?.stringValue ?? object?["name"]?.stringValue ?? Self.firstHash(object) ?? observation.id
            match(indicator, source: source, line: line, type: type, value: value, time: observation.lastObserved)
        }
    }

    /// Writes what is left (the bundle for --format stix) and clears the progress line.
    func finish() {
        if Terminal.stderrIsTTY && records >= 0x10000 { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
        if format == "stix" { out.write(sightingsBundle(identity: nil)) }
        out.flush()
    }

    /// One STIX sighting per matched indicator: how often and when it was seen, and by whom.
    func sightingsBundle(identity: String?) -> [UInt8] {
        let now = Timestamp(microseconds: Int64(Date().timeIntervalSince1970 * 1_000_000)).format(fractionDigits: 3)
        var objects: [String] = []
        for id in order {
            guard let s = seen[id] else { continue }
            var o = #"{"type":"sighting","spec_version":"2.1","id":"sighting--\#(STIXUUID.random())","created":"\#(now)","modified":"\#(now)""#
            if let identity { o += #","created_by_ref":"\#(identity)","where_sighted_refs":["\#(identity)"]"# }
            o += #","sighting_of_ref":\#(Terminal.jsonString(id)),"count":\#(min(s.count, 999_999_999))"#
            o += #","first_seen":"\#(Timestamp(microseconds: s.first).format(fractionDigits: 3))","last_seen":"\#(Timestamp(microseconds: s.last).format(fractionDigits: 3))""#
            o += #","description":"seen by accord match"}"#
            objects.append(o)
        }
        return Array(#"{"type":"bundle","id":"bundle--\#(STIXUUID.random())","objects":[\#(objects.joined(separator: ","))]}"#.utf8) + [0x0A]
    }

    /// The closing line on standard error.
    func summary(seconds: Double) -> String {
        let rate = seconds > 0 ? Int(Double(records) / seconds) : records
        var line = "\(records) records, \(matched) matches of \(seen.count) indicators in \(String(format: "%.2f", seconds)) s (\(rate) records/s)"
        if unrecognisedCount > 0 { line += "; \(unrecognisedCount) records skipped" }
        if failureCount > 0 { line += "; \(failureCount) evaluations failed" }
        return line
    }

    /// A file's first hash value, to name it when it has no name.
    static func firstHash(_ object: JSONObject?) -> String? {
        object?["hashes"]?.objectValue?.first(where: { $0.value.stringValue != nil })?.value.stringValue
    }

    static func csvField(_ s: String) -> String {
        s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" }) ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
    }
}
