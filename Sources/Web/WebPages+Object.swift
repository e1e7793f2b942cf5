import Foundation
import KnowledgeBase
import STIX

extension WebPages {
    /// A titled part of an object page: a table, a figure, or both.
    struct Section {
        var key: String
        var title: String
        var header: [String] = []
        var rows: [[Cell]] = []
        var figure: String?

        func context() -> [String: Any] {
            var c: [String: Any] = ["key": key, "title": title, "header": header, "has_rows": !rows.isEmpty,
                                    "rows": rows.map { row in ["cells": row.enumerated().map { i, cell in cell.context(first: i == 0) }] }]
            if let figure { c["figure"] = figure }
            return c
        }
    }

    /// One table cell: text, optionally a link.
    struct Cell {
        var text: String
        var href: String?

        init(_ text: String, _ href: String? = nil) { (self.text, self.href) = (text, href) }

        func context(first: Bool) -> [String: Any] {
            var c: [String: Any] = ["text": text, "first": first]
            if let href { c["href"] = href }
            return c
        }
    }

    /// `/objects/ID`: any object the reader may see, with what its type calls for; nil when
    /// the reader may not see it (the caller answers 404, like an absent object).
    public func object(_ s: WebSnapshot, id: String, versions: [String], chrome: PageChrome) -> String? {
        guard let entry = s.entry(id) else { return nil }
        let o = entry.object
        let type = o["type"]?.stringValue ?? ""
        var sections: [Section] = []
        func link(_ ref: String) -> Cell { s.object(ref) != nil ? Cell(s.name(ref), Self.href(ref)) : Cell("(not visible to you)") }

        switch type {
        case "incident": sections += incidentSections(s, o)
        case "intrusion-set", "threat-actor", "campaign": sections += actorSections(s, id, o)
        case "identity": sections += identitySections(s, id, o)
        case KnowledgeBase.instrumentType:
            sections.append(Section(key: "parties", title: "Parties", header: ["Party", "Status", "Since", "Until", "Note"],
                                    rows: (o["parties"]?.arrayValue ?? []).compactMap { p in
                                        guard let ref = p["party_ref"]?.stringValue, s.object(ref) != nil else { return nil }
                                        return [link(ref), Cell(p["status"]?.stringValue ?? ""), Cell(Self.day(p["since"])), Cell(Self.day(p["until"])), Cell(p["note"]?.stringValue ?? "")]
                                    }))
        default: break
        }
        sections.insert(Section(key: "properties", title: "Properties", header: ["Property", "Value"], rows: propertyRows(s, o)), at: 0)
        let out = (s.outgoing[id] ?? []).map { r in [Cell(r["relationship_type"]?.stringValue ?? "", Self.href(r["id"]?.stringValue ?? "")), link(r["target_ref"]?.stringValue ?? "")] }
        let inc = (s.incoming[id] ?? []).map { r in [link(r["source_ref"]?.stringValue ?? ""), Cell(r["relationship_type"]?.stringValue ?? "", Self.href(r["id"]?.stringValue ?? ""))] }
        sections.append(Section(key: "outgoing", title: "Relationships from it", header: ["Relationship", "To"], rows: out))
        sections.append(Section(key: "incoming", title: "Relationships to it", header: ["From", "Relationship"], rows: inc))
        sections.append(Section(key: "sources", title: "Sources", header: ["Source", "Description", "Link"],
                                rows: (o["external_references"]?.arrayValue ?? []).map { r in
                                    let url = r["url"]?.stringValue
                                    return [Cell(r["source_name"]?.stringValue ?? "" + (r["external_id"]?.stringValue.map { " \($0)" } ?? "")),
                                            Cell(r["description"]?.stringValue ?? r["external_id"]?.stringValue ?? ""),
                                            Cell(url.map { _ in "open" } ?? "", url.flatMap { $0.hasPrefix("https://") || $0.hasPrefix("http://") ? $0 : nil })]
                                }))
        sections.append(Section(key: "versions", title: "Versions you may see", header: ["Modified"], rows: versions.map { [Cell($0)] }))
        let pretty = Self.prettyJSON(.object(o))
        let context: [String: Any] = [
            "type": type, "id": id, "description": o["description"]?.stringValue ?? "",
            "badges": Self.badges(entry.level).map { ["class": $0.cssClass, "label": $0.label] },
            "sections": sections.map { $0.context() }, "json": pretty,
        ]
        return page(s.name(id), "object", context, chrome: chrome)
    }

    func propertyRows(_ s: WebSnapshot, _ o: JSONObject) -> [[Cell]] {
        let skip: Set<String> = ["name", "description", "external_references", "extensions", "parties", "type", "id", "object_marking_refs"]
        var rows: [[Cell]] = []
        for (key, value) in o where !skip.contains(key) {
            switch value {
            case .string(let text) where key.hasSuffix("_ref"): rows.append([Cell(key), s.object(text) != nil ? Cell(s.name(text), Self.href(text)) : Cell(text)])
            case .string(let text): rows.append([Cell(key), Cell(text)])
            case .number(let n): rows.append([Cell(key), Cell(n.text)])
            case .bool(let b): rows.append([Cell(key), Cell(b ? "true" : "false")])
            case .array(let items) where items.allSatisfy({ $0.stringValue != nil }):
                let texts = items.compactMap(\.stringValue)
                rows.append([Cell(key), Cell(key.hasSuffix("_refs") ? texts.map { s.object($0) != nil ? s.name($0) : $0 }.joined(separator: ", ") : texts.joined(separator: ", "))])
            case .object(let members) where members.allSatisfy({ $0.value.stringValue != nil || $0.value.numberValue != nil }):
                rows.append([Cell(key), Cell(members.map { "\($0.key): \($0.value.stringValue ?? $0.value.numberValue?.text ?? "")" }.joined(separator: ", "))])
            default: break
            }
        }
        return rows
    }

    func incidentSections(_ s: WebSnapshot, _ o: JSONObject) -> [Section] {
        guard let d = Self.incidentDetails(o) else { return [] }
        func ref(_ v: JSONValue?) -> Cell {
            guard let id = v?.stringValue else { return Cell("") }
            return s.object(id) != nil ? Cell(s.name(id), Self.href(id)) : Cell("(not visible to you)")
        }
        var out: [Section] = []
        var summary: [[Cell]] = [[Cell("Types"), Cell(Self.strings(d["incident_types"]).joined(separator: ", "))],
                                 [Cell("First seen"), Cell(Self.day(d["first_seen"]))], [Cell("Last seen"), Cell(Self.day(d["last_seen"]))],
                                 [Cell("Target countries"), Cell(Self.strings(d["target_countries"]).joined(separator: ", "))],
                                 [Cell("Target sectors"), Cell(Self.strings(d["target_sectors"]).joined(separator: ", "))]]
        if let n = d["operation_count"]?.numberValue { summary.append([Cell("Operations"), Cell(n.text)]) }
        if let c = d["initiator_country"]?.stringValue { summary.append([Cell("Initiator country"), Cell(c)]) }
        out.append(Section(key: "summary", title: "What happened", header: ["", ""], rows: summary))
        out.append(Section(key: "attributions", title: "Attributions", header: ["Attributed to", "By", "Basis", "Date", "Confidence", "Source"],
                           rows: (d["attributions"]?.arrayValue ?? []).map { a in
                               [ref(a["attributed_to_ref"]), a["attributing_ref"] == nil ? Cell(a["attributing_country"]?.stringValue ?? "") : ref(a["attributing_ref"]),
                                Cell(a["basis"]?.stringValue ?? ""), Cell(Self.day(a["date"])), Cell(a["confidence"]?.numberValue?.text ?? ""), Cell(a["source"]?.stringValue ?? "")]
                           }))
        if let impact = d["impact"]?.objectValue {
            var rows: [[Cell]] = ["functional", "political", "economic"].compactMap { k in impact[k]?.stringValue.map { [Cell(k), Cell($0)] } }
            if let amount = impact["loss_amount"]?.numberValue { rows.append([Cell("reported loss"), Cell(Self.money(amount.double, impact["loss_currency"]?.stringValue ?? ""))]) }
            if let note = impact["loss_note"]?.stringValue { rows.append([Cell("note"), Cell(note)]) }
            out.append(Section(key: "impact", title: "Impact and losses", header: ["Dimension", "Assessment"], rows: rows))
        }
        out.append(Section(key: "responses", title: "Responses", header: ["Type", "By", "Date", "What", "Instrument"],
                           rows: (d["responses"]?.arrayValue ?? []).map { r in
                               [Cell(r["response_type"]?.stringValue ?? ""), ref(r["responder_ref"]), Cell(Self.day(r["date"])), Cell(r["description"]?.stringValue ?? ""), ref(r["instrument_ref"])]
                           }))
        return out
    }

    func actorSections(_ s: WebSnapshot, _ id: String, _ o: JSONObject) -> [Section] {
        let incidents = s.landscape.actors.first { $0.id == id }?.incidents ?? []
        var out: [Section] = []
        out.append(Section(key: "incidents", title: "Incidents", header: ["Incident", "Began"],
                           rows: incidents.map { [Cell(s.name($0), Self.href($0)), Cell(Self.day(s.object($0).flatMap(Self.incidentDetails)?["first_seen"]))] }))
        let sponsors = (s.outgoing[id] ?? []).filter { $0["relationship_type"]?.stringValue == "attributed-to" }.compactMap { $0["target_ref"]?.stringValue }
        out.append(Section(key: "sponsor", title: "Attributed to (sponsor)", header: ["Actor or state"], rows: sponsors.map { [Cell(s.name($0), Self.href($0))] }))
        let used = (s.outgoing[id] ?? []).filter { $0["relationship_type"]?.stringValue == "uses" }.compactMap { $0["target_ref"]?.stringValue }
        out.append(Section(key: "uses", title: "Techniques, malware and tools", header: ["Name", "Type"],
                           rows: used.map { [Cell(s.name($0), Self.href($0)), Cell(s.object($0)?["type"]?.stringValue ?? "")] }))
        let indicators = (s.incoming[id] ?? []).filter { $0["relationship_type"]?.stringValue == "indicates" }.compactMap { $0["source_ref"]?.stringValue }
        out.append(Section(key: "indicators", title: "Indicators you may see", header: ["Indicator", "Pattern"],
                           rows: indicators.map { [Cell(s.name($0), Self.href($0)), Cell(s.object($0)?["pattern"]?.stringValue ?? "")] }))
        out.append(Section(key: "graph", title: "Relationship graph", figure: neighbourhood(s, id)))
        return out
    }

    func identitySections(_ s: WebSnapshot, _ id: String, _ o: JSONObject) -> [Section] {
        guard let d = Self.identityDetails(o), d["actor_kind"]?.stringValue == "state", let country = d["country"]?.stringValue else { return [] }
        let state = s.landscape.states.first { $0.id == id }
        let mine = state?.instruments ?? []
        var out: [Section] = []
        out.append(Section(key: "strategies", title: "Strategies and plans", header: ["Instrument", "Type", "Status"],
                           rows: mine.filter { ["strategy", "plan"].contains($0.instrumentType) }.map { [Cell($0.instrument, Self.href($0.instrumentID)), Cell($0.instrumentType), Cell($0.status)] }))
        out.append(Section(key: "instruments", title: "Instruments", header: ["Instrument", "Type", "Status"],
                           rows: mine.filter { !["strategy", "plan"].contains($0.instrumentType) }.map {
                               [Cell($0.instrument, Self.href($0.instrumentID)), Cell($0.instrumentType), Cell($0.status + ($0.via.map { " (via \($0))" } ?? ""))]
                           }))
        let rows = incidentRows(s)
        let victim = rows.filter { Self.strings($0.details["target_countries"]).contains(country) }
        let sponsor = rows.filter { $0.details["initiator_country"]?.stringValue == country }
        out.append(Section(key: "victim", title: "Incidents as victim", header: ["Incident", "Began"],
                           rows: victim.map { [Cell(s.name($0.id), Self.href($0.id)), Cell(Self.day($0.details["first_seen"]))] }))
        out.append(Section(key: "sponsor", title: "Incidents as sponsor", header: ["Incident", "Began"],
                           rows: sponsor.map { [Cell(s.name($0.id), Self.href($0.id)), Cell(Self.day($0.details["first_seen"]))] }))
        return out
    }

    /// The object and its direct neighbours through relationships, as a force-directed graph.
    func neighbourhood(_ s: WebSnapshot, _ id: String) -> String {
        var nodes = [id]
        var edges: [(Int, Int)] = []
        func index(_ other: String) -> Int {
            if let i = nodes.firstIndex(of: other) { return i }
            nodes.append(other)
            return nodes.count - 1
        }
        for r in s.outgoing[id] ?? [] { if let t = r["target_ref"]?.stringValue, s.object(t) != nil { edges.append((0, index(t))) } }
        for r in s.incoming[id] ?? [] { if let f = r["source_ref"]?.stringValue, s.object(f) != nil { edges.append((index(f), 0)) } }
        let kinds = ["intrusion-set", "threat-actor", "identity", "incident", "malware", "tool", "attack-pattern", "other"]
        let drawn = nodes.map { n in
            SVGCharts.Node(label: s.name(n), href: Self.href(n), kind: kinds.firstIndex(of: s.object(n)?["type"]?.stringValue ?? "") ?? 7, size: n == id ? 6 : 2)
        }
        return SVGCharts.network(title: "Relationships of \(s.name(id))", kinds: kinds, nodes: drawn, edges: edges, width: 720, height: 420)
    }

    /// TLP badges for a level.
    static func badges(_ level: TLP?) -> [(cssClass: String, label: String)] {
        guard let level else { return [] }
        let name = level.description
        return [(name.lowercased().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "tlp:", with: ""), name)]
    }

    /// Indented JSON for reading.
    static func prettyJSON(_ value: JSONValue, indent: String = "") -> String {
        let inner = indent + "  "
        switch value {
        case .object(let members):
            if members.isEmpty { return "{}" }
            return "{\n" + members.map { inner + String(decoding: CanonicalJSON.bytes(of: .string($0.key)), as: UTF8.self) + ": " + prettyJSON($0.value, indent: inner) }.joined(separator: ",\n") + "\n" + indent + "}"
        case .array(let items):
            if items.isEmpty { return "[]" }
            return "[\n" + items.map { inner + prettyJSON($0, indent: inner) }.joined(separator: ",\n") + "\n" + indent + "]"
        default:
            return String(decoding: CanonicalJSON.bytes(of: value), as: UTF8.self)
        }
    }
}
