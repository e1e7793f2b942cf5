import SwiftGraph

/// Degree and betweenness centrality of an undirected graph (SwiftGraph), the measures the
/// diplomacy page sorts states and organisations by.
struct Centrality {
    /// Number of distinct neighbours of each vertex.
    let degree: [Int]
    /// Normalised betweenness (Brandes): the share of shortest paths between other pairs that
    /// pass through each vertex, from 0 to 1.
    let betweenness: [Double]

    /// Computes both for `graph`.
    init<V>(_ graph: UnweightedGraph<V>) {
        let n = graph.vertexCount
        degree = (0..<n).map { Set(graph.neighborsForIndex($0).compactMap { graph.indexOfVertex($0) }).count }
        var centrality = [Double](repeating: 0, count: n)
        let neighbours: [[Int]] = (0..<n).map { i in Array(Set(graph.edgesForIndex(i).map(\.v))).sorted() }
        for s in 0..<n {
            var stack: [Int] = []
            var predecessors = [[Int]](repeating: [], count: n)
            var paths = [Double](repeating: 0, count: n)
            var distance = [Int](repeating: -1, count: n)
            paths[s] = 1
            distance[s] = 0
            var queue = [s]
            var head = 0
            while head < queue.count {
                let v = queue[head]; head += 1
                stack.append(v)
                for w in neighbours[v] {
                    if distance[w] < 0 { distance[w] = distance[v] + 1; queue.append(w) }
                    if distance[w] == distance[v] + 1 { paths[w] += paths[v]; predecessors[w].append(v) }
                }
            }
            var dependency = [Double](repeating: 0, count: n)
            while let w = stack.popLast() {
                for v in predecessors[w] { dependency[v] += paths[v] / paths[w] * (1 + dependency[w]) }
                if w != s { centrality[w] += dependency[w] }
            }
        }
        // Each pair was counted from both ends; normalise by the pairs not involving the vertex.
        let pairs = Double((n - 1) * (n - 2))
        betweenness = centrality.map { pairs > 0 ? $0 / pairs : 0 }
    }
}
