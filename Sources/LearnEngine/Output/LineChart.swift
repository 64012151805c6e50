import Foundation

/// A small line chart written as SVG: one or more series of (x, y) points, axes with
/// ticks and labels, a legend and a title. Pure string building, so it runs anywhere
/// the library does and the file opens in any browser.
///
/// ```swift
/// var chart = LineChart(title: "Accuracy", xLabel: "input length T", yLabel: "accuracy")
/// chart.series = [.init(name: "LSTM", points: [.init(x: 5, y: 100), .init(x: 10, y: 98)])]
/// chart.yRange = 0...100
/// chart.yUnit = "%"
/// try chart.write(to: "out/accuracy.svg")
/// ```
///
/// Series are told apart by colour (the Okabe–Ito palette, readable with colour
/// blindness) *and* by dash pattern and marker shape, so the chart survives
/// black-and-white printing and lines that lie on top of each other.
/// The legend sits in a row above the plot, where it can never cover a line.
///
/// See also: ``CSVTable`` (the same numbers as a table), ``TextFile``.
public struct LineChart: Sendable, Equatable {
    /// One point of a series.
    public struct Point: Sendable, Equatable {
        /// The horizontal coordinate, in data units.
        public var x: Double
        /// The vertical coordinate, in data units.
        public var y: Double
        /// A point at (x, y).
        public init(x: Double, y: Double) { (self.x, self.y) = (x, y) }
    }

    /// One line: a name for the legend and its points, drawn in the given order.
    public struct Series: Sendable, Equatable {
        /// The legend's label.
        public var name: String
        /// The points, joined left to right in this order. Non-finite points are skipped.
        public var points: [Point]
        /// A named series.
        public init(name: String, points: [Point]) { (self.name, self.points) = (name, points) }
    }

    /// The heading above the chart.
    public var title: String
    /// The label under the x axis.
    public var xLabel: String
    /// The label beside the y axis.
    public var yLabel: String
    /// The lines to draw.
    public var series: [Series] = []
    /// The x interval shown; nil fits the data.
    public var xRange: ClosedRange<Double>? = nil
    /// The y interval shown; nil fits the data.
    public var yRange: ClosedRange<Double>? = nil
    /// Where x ticks go; nil chooses round numbers (1, 2 or 5 × 10ᵏ apart).
    public var xTicks: [Double]? = nil
    /// Where y ticks go; nil chooses round numbers.
    public var yTicks: [Double]? = nil
    /// Appended to every y tick label, e.g. "%".
    public var yUnit = ""
    /// The size of the picture in SVG pixels.
    public var width = 640.0, height = 420.0

    /// An empty chart with a title and axis labels; set ``series`` before drawing.
    public init(title: String, xLabel: String, yLabel: String) {
        (self.title, self.xLabel, self.yLabel) = (title, xLabel, yLabel)
    }

    /// Line colours, from the Okabe–Ito palette.
    static let colours = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9"]
    /// Dash patterns, so series differ without colour too ("" is a solid line).
    static let dashes = ["", "7 4", "2 3", "9 3 2 3"]
    /// Room around the plot for the title and legend (top), tick labels and axis labels.
    static let margin = (left: 72.0, right: 24.0, top: 76.0, bottom: 56.0)

    /// The SVG document.
    public var svg: String {
        let m = Self.margin
        let plot = (left: m.left, right: width - m.right, top: m.top, bottom: height - m.bottom)
        let finite = series.flatMap(\.points).filter { $0.x.isFinite && $0.y.isFinite }
        let xs = Self.widened(xRange ?? Self.span(finite.map(\.x)))
        let ys = Self.widened(yRange ?? Self.span(finite.map(\.y)))
        // Data coordinates to picture coordinates; y grows downwards in SVG.
        func px(_ x: Double) -> Double {
            plot.left + (x - xs.lowerBound) / (xs.upperBound - xs.lowerBound) * (plot.right - plot.left)
        }
        func py(_ y: Double) -> Double {
            plot.bottom - (y - ys.lowerBound) / (ys.upperBound - ys.lowerBound) * (plot.bottom - plot.top)
        }

        var out: [String] = []
        out.append(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(n(width))\" height=\"\(n(height))\" "
                + "viewBox=\"0 0 \(n(width)) \(n(height))\" font-family=\"Helvetica, Arial, sans-serif\">")
        out.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>")
        out.append(text(title, x: width / 2, y: 26, size: 17, anchor: "middle", weight: "bold"))

        // Grid lines and tick labels first, so the data is drawn on top of them.
        for t in (xTicks ?? Self.niceTicks(in: xs)) where xs.contains(t) {
            out.append(line(px(t), plot.top, px(t), plot.bottom, stroke: "#e4e4e4"))
            out.append(line(px(t), plot.bottom, px(t), plot.bottom + 5, stroke: "#333"))
            out.append(text(Self.label(t), x: px(t), y: plot.bottom + 19, size: 12, anchor: "middle"))
        }
        for t in (yTicks ?? Self.niceTicks(in: ys)) where ys.contains(t) {
            out.append(line(plot.left, py(t), plot.right, py(t), stroke: "#e4e4e4"))
            out.append(line(plot.left - 5, py(t), plot.left, py(t), stroke: "#333"))
            out.append(text(Self.label(t) + yUnit, x: plot.left - 9, y: py(t) + 4, size: 12, anchor: "end"))
        }
        out.append(line(plot.left, plot.bottom, plot.right, plot.bottom, stroke: "#333"))
        out.append(line(plot.left, plot.top, plot.left, plot.bottom, stroke: "#333"))
        out.append(text(xLabel, x: (plot.left + plot.right) / 2, y: height - 14, size: 13, anchor: "middle"))
        let yMiddle = (plot.top + plot.bottom) / 2
        out.append(
            "<text x=\"18\" y=\"\(n(yMiddle))\" font-size=\"13\" text-anchor=\"middle\" "
                + "transform=\"rotate(-90 18 \(n(yMiddle)))\">\(Self.escaped(yLabel))</text>")

        // The lines, each with a dot on every point, and the legend row above the plot.
        var legendX = plot.left
        for (k, s) in series.enumerated() {
            let colour = Self.colours[k % Self.colours.count]
            let dash = Self.dashes[k % Self.dashes.count]
            let dashAttribute = dash.isEmpty ? "" : " stroke-dasharray=\"\(dash)\""
            let points = s.points.filter { $0.x.isFinite && $0.y.isFinite }
            let path = points.map { "\(n(px($0.x))),\(n(py($0.y)))" }.joined(separator: " ")
            out.append(
                "<polyline points=\"\(path)\" fill=\"none\" stroke=\"\(colour)\" "
                    + "stroke-width=\"2.5\"\(dashAttribute)/>")
            for p in points {
                out.append(marker(k, x: px(p.x), y: py(p.y), colour: colour))
            }
            let legendY = 52.0
            out.append(
                "<line x1=\"\(n(legendX))\" y1=\"\(n(legendY))\" x2=\"\(n(legendX + 30))\" y2=\"\(n(legendY))\" "
                    + "stroke=\"\(colour)\" stroke-width=\"2.5\"\(dashAttribute)/>")
            out.append(marker(k, x: legendX + 15, y: legendY, colour: colour))
            out.append(text(s.name, x: legendX + 38, y: legendY + 4, size: 13, anchor: "start"))
            // A rough width per character is enough to space the legend entries apart.
            legendX += 38 + 7.5 * Double(s.name.count) + 28
        }
        out.append("</svg>")
        return out.joined(separator: "\n") + "\n"
    }

    /// Writes ``svg`` to `path`, atomically (see ``TextFile/write(_:to:)``).
    public func write(to path: String) throws(OutputFileError) {
        try TextFile.write(svg, to: path)
    }

    /// About `count` round tick positions inside `range`: steps of 1, 2 or 5 × 10ᵏ.
    public static func niceTicks(in range: ClosedRange<Double>, about count: Int = 6) -> [Double] {
        let span = range.upperBound - range.lowerBound
        guard span > 0, span.isFinite, count > 0 else { return [range.lowerBound] }
        let rough = span / Double(count)
        let power = pow(10, floor(log10(rough)))
        let step = [1.0, 2, 5, 10].map { $0 * power }.first { $0 >= rough } ?? 10 * power
        var ticks: [Double] = []
        var k = ceil(range.lowerBound / step)
        // Multiply rather than add, so rounding errors do not pile up along the axis;
        // the small allowance keeps a tick that lands on the upper bound.
        while k * step <= range.upperBound + step * 1e-9 {
            let t = min(k * step, range.upperBound)
            ticks.append(t == 0 ? 0 : t)  // no "-0"
            k += 1
        }
        return ticks
    }

    /// The smallest interval holding `values` (0…1 when there are none).
    static func span(_ values: [Double]) -> ClosedRange<Double> {
        guard let low = values.min(), let high = values.max() else { return 0...1 }
        return low...high
    }

    /// `range`, or a unit-wide interval around it when it is a single point (one
    /// point, or a flat line, would otherwise divide by zero).
    static func widened(_ range: ClosedRange<Double>) -> ClosedRange<Double> {
        range.upperBound > range.lowerBound ? range : (range.lowerBound - 0.5)...(range.upperBound + 0.5)
    }

    /// A tick label: integers without a decimal point, others with up to 4 significant digits.
    static func label(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(format: "%.4g", value)
    }

    /// Text with the five characters XML reserves replaced by entities.
    static func escaped(_ s: String) -> String {
        var out = ""
        for c in s {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            default: out.append(c)
            }
        }
        return out
    }

    /// A coordinate with two decimals: enough for a picture, short enough to read.
    func n(_ x: Double) -> String { String(format: "%.2f", x) }

    /// The dot on a point of series `k`: a circle, square, diamond or triangle, so that
    /// lines lying on top of each other can still be told apart.
    func marker(_ k: Int, x: Double, y: Double, colour: String) -> String {
        let r = 4.5
        let corners: [(Double, Double)]
        switch k % 4 {
        case 0: return "<circle cx=\"\(n(x))\" cy=\"\(n(y))\" r=\"\(n(r))\" fill=\"\(colour)\"/>"
        case 1: corners = [(-r, -r), (r, -r), (r, r), (-r, r)].map { ($0 * 0.85, $1 * 0.85) }
        case 2: corners = [(0, -r * 1.3), (r * 1.3, 0), (0, r * 1.3), (-r * 1.3, 0)]
        default: corners = [(0, -r * 1.2), (r * 1.1, r * 0.8), (-r * 1.1, r * 0.8)]
        }
        let points = corners.map { "\(n(x + $0.0)),\(n(y + $0.1))" }.joined(separator: " ")
        return "<polygon points=\"\(points)\" fill=\"\(colour)\"/>"
    }

    func line(_ x1: Double, _ y1: Double, _ x2: Double, _ y2: Double, stroke: String) -> String {
        "<line x1=\"\(n(x1))\" y1=\"\(n(y1))\" x2=\"\(n(x2))\" y2=\"\(n(y2))\" stroke=\"\(stroke)\"/>"
    }

    func text(
        _ s: String, x: Double, y: Double, size: Int, anchor: String, weight: String = "normal"
    ) -> String {
        "<text x=\"\(n(x))\" y=\"\(n(y))\" font-size=\"\(size)\" text-anchor=\"\(anchor)\" "
            + "font-weight=\"\(weight)\">\(Self.escaped(s))</text>"
    }
}
