import Foundation
import STIX

extension WebPages {
    /// The words of a search query, lower-cased (at most eight).
    public static func searchWords(_ query: String) -> [String] {
        Array(query.lowercased().split(whereSeparator: { $0.isWhitespace || $0 == "\"" }).map(String.init).prefix(8))
    }

    /// `/search?q=`: objects whose name, aliases, description or observable value contain every
    /// word of the query (case-insensitive), names first. `candidates` are the full-text index's
    /// ids (nil: scan the snapshot); either way only objects in the reader's snapshot count, and
    /// the words are checked against the version the reader sees, so a version the reader may not
    /// read never makes an object a result.
    public func search(_ s: WebSnapshot, query: String, candidates: [String]?, chrome: PageChrome) -> String {
        let words = Self.searchWords(query)
        var results: [(rank: Int, name: String, id: String, type: String, snippet: String)] = []
        if !words.isEmpty {
            let pool = candidates.map { ids in ids.compactMap { id in s.entry(id).map { (id, $0) } } } ?? s.entries.map { ($0.key, $0.value) }
            for (id, e) in pool {
                let o = e.object
                let name = s.name(id)
                let aliases = Self.strings(o["aliases"]) + Self.strings(o["x_mitre_aliases"])
                let description = o["description"]?.stringValue ?? ""
                let haystack = ([name, description, o["value"]?.stringValue ?? "", o["pattern"]?.stringValue ?? ""] + aliases).joined(separator: "\n").lowercased()
                // Substrings, as the index's prefixes match the starts of words.
                guard words.allSatisfy({ haystack.contains($0) }) else { continue }
                let nameHit = words.allSatisfy { (name + " " + aliases.joined(separator: " ")).lowercased().contains($0) }
                results.append((nameHit ? 0 : 1, name, id, o["type"]?.stringValue ?? "", Self.snippet(description, around: words.first ?? "")))
            }
        }
        results.sort { ($0.rank, $0.name.lowercased(), $0.id) < ($1.rank, $1.name.lowercased(), $1.id) }
        var context: [String: Any] = ["count": results.count,
                                      "results": results.prefix(200).map { ["href": Self.href($0.id), "name": $0.name, "type": $0.type, "snippet": $0.snippet] }]
        if !query.isEmpty { context["query"] = query }
        var c = chrome
        c.query = query
        return page(query.isEmpty ? "Search" : "Search: \(query)", "search", context, chrome: c)
    }

    /// About 160 characters of `text` around the first occurrence of `word`.
    static func snippet(_ text: String, around word: String) -> String {
        guard !text.isEmpty else { return "" }
        guard let r = text.lowercased().range(of: word) else { return String(text.prefix(160)) + (text.count > 160 ? "…" : "") }
        let offset = text.lowercased().distance(from: text.lowercased().startIndex, to: r.lowerBound)
        let start = max(0, offset - 60)
        let slice = text.dropFirst(start).prefix(160)
        return (start > 0 ? "…" : "") + slice + (start + 160 < text.count ? "…" : "")
    }
}
