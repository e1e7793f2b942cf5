import Foundation
import KnowledgeBase
import STIX

extension WebPages {
    /// `/`: counts, latest additions, incidents per year by type, losses by year, active actors.
    public func overview(_ s: WebSnapshot, chrome: PageChrome) -> String {
        let l = s.landscape
        let types = l.incidentTypes
        let incidents = SVGCharts.stackedBars(title: "Incidents per year, by type", series: types,
                                              bars: l.incidentsByYear.map { y in .init(label: y.year, values: types.map { Double(y.byType[$0] ?? 0) }) })
        let usd = l.losses.filter { $0.currency == "USD" }
        let losses = SVGCharts.stackedBars(title: "Reported losses by year (USD)", series: ["Reported losses"],
                                           bars: usd.map { .init(label: $0.year, values: [$0.amount]) }, unit: "USD")
        let formatter = ISO8601DateFormatter()
        func added(_ us: Int64) -> String { us > 0 ? String(formatter.string(from: Date(timeIntervalSince1970: Double(us) / 1e6)).prefix(10)) : "" }
        let latest = s.latest.map { a -> [String: Any] in
            ["href": Self.href(a.id), "name": s.name(a.id), "type": a.type, "collection": a.collection, "added": added(a.dateAdded)]
        }
        let context: [String: Any] = [
            "total": s.total, "collections_phrase": s.collections.count == 1 ? "1 collection" : "\(s.collections.count) collections",
            "incidents_chart": incidents, "losses_chart": losses,
            "actors": l.actors.prefix(10).map { ["href": Self.href($0.id), "name": $0.name, "type": $0.type, "count": $0.incidents.count] as [String: Any] },
            "latest": Array(latest),
            "types": s.typeCounts.map { ["name": $0.type, "count": $0.count] as [String: Any] },
            "partners": s.partners.map { ["name": $0.organisation ?? "This hub (bundled and imported)", "count": $0.count, "latest": added($0.latest)] as [String: Any] },
            "collections": s.collections.map { ["name": $0.alias, "count": $0.count, "latest": added($0.latest)] as [String: Any] },
        ]
        return page("Overview", "overview", context, chrome: chrome, nav: "overview")
    }
}
