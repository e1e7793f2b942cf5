import Foundation
import KnowledgeBase
import STIX
import SwiftGraph

extension WebPages {
    /// Statuses that count as taking part in an instrument (not a non-party, not an opponent).
    static let participating: Set<String> = ["party", "signatory", "observer", "member", "issuer", "host", "secretariat", "sponsor", "supporter"]

    /// The cooperation network: identities linked when they take part in the same instrument.
    public struct CooperationNetwork: Sendable {
        /// Identity ids, in vertex order.
        public var nodes: [String]
        /// Undirected edges between node indexes, each once.
        public var edges: [(Int, Int)]
        /// Instruments each node takes part in.
        public var instruments: [Int]
        /// Degree and betweenness per node.
        public var degree: [Int]
        /// Normalised betweenness per node.
        public var betweenness: [Double]
    }

    /// Builds the network from the instruments the reader may see (parties it may not see are left out).
    public static func cooperationNetwork(_ s: WebSnapshot) -> CooperationNetwork {
        var members: [[String]] = []
        for o in s.objects(ofType: KnowledgeBase.instrumentType) {
            let parties = (o["parties"]?.arrayValue ?? []).compactMap { p -> String? in
                guard let ref = p["party_ref"]?.stringValue, participating.contains(p["status"]?.stringValue ?? ""), s.object(ref) != nil else { return nil }
                return ref
            }
            members.append(Array(Set(parties)).sorted())
        }
        let nodes = Set(members.joined()).sorted { s.name($0) < s.name($1) }
        let index = Dictionary(uniqueKeysWithValues: nodes.enumerated().map { ($1, $0) })
        let graph = UnweightedGraph<String>(vertices: nodes)
        var seen = Set<[Int]>()
        var edges: [(Int, Int)] = []
        var instruments = [Int](repeating: 0, count: nodes.count)
        for group in members {
            let ids = group.compactMap { index[$0] }
            for i in ids { instruments[i] += 1 }
            for a in ids { for b in ids where a < b && seen.insert([a, b]).inserted {
                edges.append((a, b))
                graph.addEdge(fromIndex: a, toIndex: b, directed: false)
            } }
        }
        let c = Centrality(graph)
        return CooperationNetwork(nodes: nodes, edges: edges, instruments: instruments, degree: c.degree, betweenness: c.betweenness)
    }

    /// `/diplomacy`: the cooperation network, centrality (sortable) and the instruments.
    public func diplomacy(_ s: WebSnapshot, sortByBetweenness: Bool, chrome: PageChrome) -> String {
        let network = Self.cooperationNetwork(s)
        let kinds = ["state", "international-organization", "government-agency", "network", "other"]
        func kind(_ id: String) -> String { s.object(id).flatMap(Self.identityDetails)?["actor_kind"]?.stringValue ?? "other" }
        let drawn = network.nodes.enumerated().map { i, id in
            SVGCharts.Node(label: s.name(id), href: Self.href(id), kind: kinds.firstIndex(of: kind(id)) ?? kinds.count - 1, size: Double(network.degree[i]) / 2)
        }
        let order = network.nodes.indices.sorted {
            sortByBetweenness ? (network.betweenness[$0], network.degree[$0]) > (network.betweenness[$1], network.degree[$1])
                : (network.degree[$0], network.betweenness[$0]) > (network.degree[$1], network.betweenness[$1])
        }
        let instruments = s.objects(ofType: KnowledgeBase.instrumentType).map { o -> [String: Any] in
            let id = o["id"]?.stringValue ?? ""
            let parties = (o["parties"]?.arrayValue ?? []).compactMap { p -> String? in
                guard let ref = p["party_ref"]?.stringValue, s.object(ref) != nil else { return nil }
                return "\(s.name(ref)) (\(p["status"]?.stringValue ?? ""))"
            }
            let since = ["signed", "established", "in_force"].lazy.compactMap { o[$0]?.stringValue }.first
            return ["href": Self.href(id), "name": s.name(id), "type": o["instrument_type"]?.stringValue ?? "", "scope": o["scope"]?.stringValue ?? "",
                    "since": since.map { String($0.prefix(4)) } ?? "", "parties": parties.joined(separator: ", ")]
        }
        let context: [String: Any] = [
            "instrument_count": instruments.count,
            "graph": SVGCharts.network(title: "Cooperation network of states and organisations", kinds: kinds, nodes: drawn, edges: network.edges),
            "by_degree": !sortByBetweenness, "by_betweenness": sortByBetweenness,
            "nodes": order.map { i -> [String: Any] in
                ["href": Self.href(network.nodes[i]), "name": s.name(network.nodes[i]), "kind": kind(network.nodes[i]), "degree": network.degree[i],
                 "betweenness": String(format: "%.3f", network.betweenness[i]), "instruments": network.instruments[i]]
            },
            "instruments": instruments,
        ]
        return page("Cyber diplomacy", "diplomacy", context, chrome: chrome, nav: "diplomacy")
    }
}
