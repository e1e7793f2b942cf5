import Foundation
import KnowledgeBase
import STIX

extension WebPages {
    /// The filters of the incidents page: actor, type, target sector, target country, year.
    public struct IncidentFilter: Sendable {
        /// Attributed actor id.
        public var actor: String?
        /// Incident type (ddos, espionage...).
        public var type: String?
        /// Target sector (industry-sector-ov).
        public var sector: String?
        /// Target country (ISO 3166-1 alpha-2).
        public var country: String?
        /// Year the incident began.
        public var year: String?

        /// Creates a filter; empty values select everything.
        public init(actor: String? = nil, type: String? = nil, sector: String? = nil, country: String? = nil, year: String? = nil) {
            func clean(_ s: String?) -> String? { (s?.isEmpty ?? true) ? nil : s }
            (self.actor, self.type, self.sector, self.country, self.year) = (clean(actor), clean(type), clean(sector), clean(country), clean(year))
        }
    }

    /// An incident with what the page shows of it.
    struct IncidentRow {
        var id: String
        var object: JSONObject
        var details: JSONObject
        var actors: [String]
        var year: String
    }

    func incidentRows(_ s: WebSnapshot) -> [IncidentRow] {
        var actorsOf: [String: Set<String>] = [:]
        for a in s.landscape.actors { for i in a.incidents { actorsOf[i, default: []].insert(a.id) } }
        return s.objects(ofType: "incident").compactMap { o in
            guard let id = o["id"]?.stringValue else { return nil }
            let details = Self.incidentDetails(o) ?? [:]
            return IncidentRow(id: id, object: o, details: details, actors: (actorsOf[id] ?? []).sorted(),
                               year: String(details["first_seen"]?.stringValue?.prefix(4) ?? ""))
        }.sorted { ($0.details["first_seen"]?.stringValue ?? "9999", $0.id) < ($1.details["first_seen"]?.stringValue ?? "9999", $1.id) }
    }

    /// `/incidents`: a timeline and a table, filterable.
    public func incidents(_ s: WebSnapshot, filter f: IncidentFilter, chrome: PageChrome) -> String {
        let all = incidentRows(s)
        let rows = all.filter { r in
            (f.actor.map { r.actors.contains($0) } ?? true)
                && (f.type.map { Self.strings(r.details["incident_types"]).contains($0) } ?? true)
                && (f.sector.map { Self.strings(r.details["target_sectors"]).contains($0) } ?? true)
                && (f.country.map { Self.strings(r.details["target_countries"]).contains($0) } ?? true)
                && (f.year.map { r.year == $0 } ?? true)
        }
        let types = s.landscape.incidentTypes
        let spans = rows.compactMap { r -> SVGCharts.Span? in
            guard let start = Self.fractionalYear(r.details["first_seen"]?.stringValue) else { return nil }
            let end = Self.fractionalYear(r.details["last_seen"]?.stringValue) ?? start
            let first = Self.strings(r.details["incident_types"]).first ?? ""
            return .init(label: s.name(r.id), href: Self.href(r.id), start: start, end: max(end, start), series: types.firstIndex(of: first) ?? 0)
        }
        func options(_ name: String, _ label: String, _ values: [(String, String)], _ chosen: String?) -> [String: Any] {
            ["name": name, "label": label, "options": values.map { ["value": $0.0, "label": $0.1, "selected": $0.0 == chosen] as [String: Any] }]
        }
        let actorIDs = Set(all.flatMap(\.actors)).sorted { s.name($0) < s.name($1) }
        let context: [String: Any] = [
            "filters": [
                options("actor", "Actor", actorIDs.map { ($0, s.name($0)) }, f.actor),
                options("type", "Type", types.map { ($0, $0) }, f.type),
                options("sector", "Target sector", Set(all.flatMap { Self.strings($0.details["target_sectors"]) }).sorted().map { ($0, $0) }, f.sector),
                options("country", "Target country", Set(all.flatMap { Self.strings($0.details["target_countries"]) }).sorted().map { ($0, $0) }, f.country),
                options("year", "Year", Set(all.map(\.year)).filter { !$0.isEmpty }.sorted().map { ($0, $0) }, f.year),
            ],
            "timeline": SVGCharts.timeline(title: "Incident timeline", series: types, spans: spans),
            "count": rows.count,
            "incidents": rows.map { r -> [String: Any] in
                let impact = r.details["impact"]?.objectValue
                let loss = impact.flatMap { i in i["loss_amount"]?.numberValue.map { Self.money($0.double, i["loss_currency"]?.stringValue ?? "") } } ?? ""
                return ["href": Self.href(r.id), "name": s.name(r.id), "began": Self.day(r.details["first_seen"]),
                        "types": Self.strings(r.details["incident_types"]).joined(separator: ", "),
                        "targets": (Self.strings(r.details["target_countries"]) + Self.strings(r.details["target_sectors"])).joined(separator: ", "),
                        "actors": r.actors.map { s.name($0) }.joined(separator: ", "), "loss": loss]
            },
        ]
        return page("Incidents", "incidents", context, chrome: chrome, nav: "incidents")
    }
}
