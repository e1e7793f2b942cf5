import Foundation
import KnowledgeBase
import STIX

extension WebPages {
    /// Types listed on the actors page.
    static let actorTypes = ["intrusion-set", "threat-actor", "campaign"]

    /// `/actors`: threat actors and intrusion sets, filterable by type and motivation.
    public func actors(_ s: WebSnapshot, type: String?, motivation: String?, chrome: PageChrome) -> String {
        let incidents = Dictionary(uniqueKeysWithValues: s.landscape.actors.map { ($0.id, $0.incidents.count) })
        let all = Self.actorTypes.flatMap { s.objects(ofType: $0) }
        func motivations(_ o: JSONObject) -> [String] {
            ([o["primary_motivation"]?.stringValue].compactMap { $0 } + Self.strings(o["secondary_motivations"]))
        }
        let rows = all.filter { o in
            (type.map { o["type"]?.stringValue == $0 } ?? true) && (motivation.map { motivations(o).contains($0) } ?? true)
        }.map { o -> [String: Any] in
            let id = o["id"]?.stringValue ?? ""
            return ["href": Self.href(id), "name": s.name(id), "type": o["type"]?.stringValue ?? "",
                    "aliases": Self.strings(o["aliases"]).joined(separator: ", "), "motivation": motivations(o).joined(separator: ", "),
                    "incidents": incidents[id] ?? 0]
        }
        let motivationValues = Set(all.flatMap(motivations)).sorted()
        let context: [String: Any] = [
            "actors": rows,
            "type_options": Self.actorTypes.map { ["value": $0, "label": $0, "selected": $0 == type] as [String: Any] },
            "motivation_options": motivationValues.map { ["value": $0, "label": $0, "selected": $0 == motivation] as [String: Any] },
        ]
        return page("Threat actors and intrusion sets", "actors", context, chrome: chrome, nav: "actors")
    }
}
