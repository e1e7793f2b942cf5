import Foundation

/// Positions for the nodes of a graph, computed on the server (Fruchterman-Reingold with a
/// cooling schedule), deterministic: the same graph always gets the same picture.
struct ForceLayout {
    /// A point in the drawing, in SVG user units.
    struct Point: Equatable {
        var x: Double
        var y: Double
    }

    /// Lays out `count` nodes joined by `edges` (index pairs) in a `width` x `height` box.
    static func positions(count: Int, edges: [(Int, Int)], width: Double, height: Double, iterations: Int = 300) -> [Point] {
        guard count > 0 else { return [] }
        let margin = 40.0
        let w = width - 2 * margin, h = height - 2 * margin
        // Start on a circle (not at random) so the result never depends on a seed.
        var p = (0..<count).map { i -> Point in
            let a = 2 * Double.pi * Double(i) / Double(count)
            return Point(x: w / 2 + w / 3 * cos(a), y: h / 2 + h / 3 * sin(a))
        }
        guard count > 1 else { return [Point(x: width / 2, y: height / 2)] }
        let k = 0.9 * (w * h / Double(count)).squareRoot()
        var temperature = w / 8
        for _ in 0..<iterations {
            var d = [Point](repeating: Point(x: 0, y: 0), count: count)
            for i in 0..<count {
                for j in (i + 1)..<count {
                    var dx = p[i].x - p[j].x, dy = p[i].y - p[j].y
                    var dist = (dx * dx + dy * dy).squareRoot()
                    if dist < 0.01 { dx = 0.01 * Double(i - j); dy = 0.01; dist = 0.015 }
                    let force = k * k / dist
                    d[i].x += dx / dist * force; d[i].y += dy / dist * force
                    d[j].x -= dx / dist * force; d[j].y -= dy / dist * force
                }
            }
            for (a, b) in edges where a != b {
                let dx = p[a].x - p[b].x, dy = p[a].y - p[b].y
                let dist = max((dx * dx + dy * dy).squareRoot(), 0.01)
                let force = dist * dist / k
                d[a].x -= dx / dist * force; d[a].y -= dy / dist * force
                d[b].x += dx / dist * force; d[b].y += dy / dist * force
            }
            for i in 0..<count {
                // A weak pull to the centre keeps unconnected parts on the page.
                d[i].x += (w / 2 - p[i].x) * 0.05 * k / 10
                d[i].y += (h / 2 - p[i].y) * 0.05 * k / 10
                let len = max((d[i].x * d[i].x + d[i].y * d[i].y).squareRoot(), 0.01)
                p[i].x = min(w, max(0, p[i].x + d[i].x / len * min(len, temperature)))
                p[i].y = min(h, max(0, p[i].y + d[i].y / len * min(len, temperature)))
            }
            temperature = max(temperature * 0.97, 0.5)
        }
        return p.map { Point(x: ($0.x + margin).rounded(), y: ($0.y + margin).rounded()) }
    }
}
