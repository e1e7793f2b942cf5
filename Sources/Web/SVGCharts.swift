import Foundation

/// Charts drawn as inline SVG on the server: axes, labels and a legend, colours from CSS
/// classes (`series-N`) so the page's light and dark themes apply to them too.
enum SVGCharts {
    /// One bar of a stacked bar chart: its label and a value per series.
    struct StackedBar {
        var label: String
        var values: [Double]
    }

    /// A stacked bar chart with a y axis, x labels and a legend.
    static func stackedBars(title: String, series: [String], bars: [StackedBar], unit: String = "") -> String {
        let width = 720.0, height = 300.0, left = 84.0, bottom = 40.0, top = 16.0
        let legendWidth = 170.0
        let plotW = width - left - legendWidth - 16, plotH = height - top - bottom
        let maxTotal = max(bars.map { $0.values.reduce(0, +) }.max() ?? 0, 1)
        let step = niceStep(maxTotal)
        let yMax = (maxTotal / step).rounded(.up) * step
        var out = open(width: width, height: height, title: title)
        for tick in stride(from: 0.0, through: yMax, by: step) {
            let y = top + plotH - tick / yMax * plotH
            out += #"<line class="grid" x1="\#(left)" x2="\#(left + plotW)" y1="\#(r(y))" y2="\#(r(y))"/>"#
            out += #"<text class="tick" x="\#(left - 6)" y="\#(r(y + 4))" text-anchor="end">\#(esc(label(tick, unit)))</text>"#
        }
        let slot = plotW / Double(max(bars.count, 1))
        let barW = min(40, slot * 0.7)
        for (i, bar) in bars.enumerated() {
            let x = left + slot * Double(i) + (slot - barW) / 2
            var y = top + plotH
            for (s, value) in bar.values.enumerated() where value > 0 {
                let h = value / yMax * plotH
                y -= h
                out += #"<rect class="series-\#(s % 8)" x="\#(r(x))" y="\#(r(y))" width="\#(r(barW))" height="\#(r(h))"><title>\#(esc("\(bar.label), \(series[s]): \(label(value, unit))"))</title></rect>"#
            }
            out += #"<text class="tick" x="\#(r(x + barW / 2))" y="\#(r(top + plotH + 16))" text-anchor="middle">\#(esc(bar.label))</text>"#
        }
        out += #"<line class="axis" x1="\#(left)" x2="\#(left + plotW)" y1="\#(top + plotH)" y2="\#(top + plotH)"/>"#
        out += #"<line class="axis" x1="\#(left)" x2="\#(left)" y1="\#(top)" y2="\#(top + plotH)"/>"#
        out += legend(series, x: width - legendWidth, y: top)
        return out + "</svg>"
    }

    /// A timeline: one row per item, a dot (or a bar for a period) at its dates, on a year axis.
    struct Span {
        var label: String
        var href: String
        var start: Double
        var end: Double
        var series: Int
    }

    /// Draws spans (fractional years) on a shared year axis, one row each.
    static func timeline(title: String, series: [String], spans: [Span]) -> String {
        let width = 900.0
        let rowH = 26.0, left = 300.0, top = 30.0, legendH = legendHeight(series.count, width: width - 300)
        let height = top + rowH * Double(max(spans.count, 1)) + 30 + legendH
        let first = (spans.map(\.start).min() ?? 2000).rounded(.down)
        let last = max((spans.map(\.end).max() ?? 2001).rounded(.up), first + 1)
        let plotW = width - left - 20
        func x(_ year: Double) -> Double { left + (year - first) / (last - first) * plotW }
        var out = open(width: width, height: height, title: title, links: true)
        let yearStep = max(1, Int(((last - first) / 10).rounded(.up)))
        for year in stride(from: Int(first), through: Int(last), by: yearStep) {
            out += #"<line class="grid" x1="\#(r(x(Double(year))))" x2="\#(r(x(Double(year))))" y1="\#(top - 8)" y2="\#(r(top + rowH * Double(spans.count)))"/>"#
            out += #"<text class="tick" x="\#(r(x(Double(year))))" y="\#(top - 12)" text-anchor="middle">\#(year)</text>"#
        }
        for (i, s) in spans.enumerated() {
            let y = top + rowH * Double(i) + rowH / 2
            out += #"<a href="\#(esc(s.href))"><text class="label" x="\#(left - 10)" y="\#(r(y + 4))" text-anchor="end">\#(esc(truncate(s.label, 40)))</text>"#
            let x0 = x(s.start), x1 = max(x(s.end), x0 + 8)
            out += #"<rect class="series-\#(s.series % 8)" x="\#(r(x0))" y="\#(r(y - 7))" width="\#(r(x1 - x0))" height="14" rx="7"><title>\#(esc(s.label))</title></rect></a>"#
        }
        out += legend(series, x: left, y: top + rowH * Double(spans.count) + 20, horizontal: true, width: width - left)
        return out + "</svg>"
    }

    /// A node of a network drawing.
    struct Node {
        var label: String
        var href: String
        var kind: Int
        var size: Double
    }

    /// A network: nodes at server-computed positions, edges as lines, each node a link.
    static func network(title: String, kinds: [String], nodes: [Node], edges: [(Int, Int)], width: Double = 900, height graphHeight: Double = 640) -> String {
        let points = ForceLayout.positions(count: nodes.count, edges: edges, width: width, height: graphHeight)
        let height = graphHeight + legendHeight(kinds.count, width: width - 20) + 10
        var out = open(width: width, height: height, title: title, links: true)
        for (a, b) in edges {
            out += #"<line class="edge" x1="\#(points[a].x)" y1="\#(points[a].y)" x2="\#(points[b].x)" y2="\#(points[b].y)" data-a="\#(esc(nodes[a].label))" data-b="\#(esc(nodes[b].label))"/>"#
        }
        for (i, node) in nodes.enumerated() {
            let p = points[i]
            let radius = 5 + min(node.size, 12)
            out += #"<a href="\#(esc(node.href))" class="node"><circle class="series-\#(node.kind % 8)" cx="\#(p.x)" cy="\#(p.y)" r="\#(r(radius))"><title>\#(esc(node.label))</title></circle>"#
            out += #"<text class="node-label" x="\#(p.x)" y="\#(r(p.y - radius - 3))" text-anchor="middle">\#(esc(truncate(node.label, 24)))</text></a>"#
        }
        out += legend(kinds, x: 10, y: graphHeight + 10, horizontal: true, width: width - 20)
        return out + "</svg>"
    }

    // MARK: - Pieces

    /// The opening tag: a picture (`role="img"`) or, when it holds links, a group whose links
    /// assistive technology still reaches.
    static func open(width: Double, height: Double, title: String, links: Bool = false) -> String {
        #"<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 \#(r(width)) \#(r(height))" role="\#(links ? "group" : "img")" aria-label="\#(esc(title))"><title>\#(esc(title))</title>"#
    }

    /// Width of one legend entry in a horizontal legend (room for "international-organization").
    static let legendColumn = 220.0

    /// Height a horizontal legend of `count` entries takes in `width`.
    static func legendHeight(_ count: Int, width: Double) -> Double {
        let perRow = max(1, Int(width / legendColumn))
        return 20 * Double((count + perRow - 1) / perRow)
    }

    static func legend(_ series: [String], x: Double, y: Double, horizontal: Bool = false, width: Double = 880) -> String {
        var out = ""
        let perRow = max(1, Int(width / legendColumn))
        for (i, name) in series.enumerated() {
            let (lx, ly) = horizontal ? (x + Double(i % perRow) * legendColumn, y + Double(i / perRow) * 20) : (x, y + Double(i) * 20)
            out += #"<rect class="series-\#(i % 8)" x="\#(r(lx))" y="\#(r(ly))" width="12" height="12"/>"#
            out += #"<text class="legend" x="\#(r(lx + 18))" y="\#(r(ly + 10))">\#(esc(name))</text>"#
        }
        return out
    }

    /// A round step for about five ticks up to `maximum`.
    static func niceStep(_ maximum: Double) -> Double {
        let raw = maximum / 5
        let magnitude = pow(10, (log10(max(raw, 1e-9))).rounded(.down))
        for m in [1.0, 2, 5, 10] where m * magnitude >= raw { return m * magnitude }
        return 10 * magnitude
    }

    static func label(_ value: Double, _ unit: String) -> String {
        let v: String
        switch abs(value) {
        case 1e9...: v = trim(value / 1e9) + " bn"
        case 1e6...: v = trim(value / 1e6) + " m"
        case 1e3...: v = trim(value / 1e3) + " k"
        default: v = trim(value)
        }
        return unit.isEmpty ? v : v + " " + unit
    }

    static func trim(_ d: Double) -> String { d.rounded() == d ? String(Int64(d)) : String(format: "%.1f", d) }

    static func truncate(_ s: String, _ n: Int) -> String { s.count <= n ? s : String(s.prefix(n - 1)) + "…" }

    static func r(_ d: Double) -> String { d.rounded() == d ? String(Int64(d)) : String(format: "%.1f", d) }

    /// Escapes text for SVG/HTML content and attribute values.
    static func esc(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.count)
        for c in s {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(c)
            }
        }
        return out
    }
}
