import Foundation

/// Numbers as the library prints them in reports and messages: one place, so a
/// gradient check, a fixture's verdict and a tutorial's table all read alike.
public enum NumberFormat {
    /// `x` with a fixed number of decimals and a sign column, e.g. `" 0.1235"`, `"-0.5000"`.
    public static func fixed(_ x: Double, decimals: Int) -> String {
        String(format: "% .\(decimals)f", x)
    }

    /// A fraction as a percentage, e.g. `percent(0.995, decimals: 1)` is `"99.5%"`.
    public static func percent(_ fraction: Double, decimals: Int) -> String {
        String(format: "%.\(decimals)f%%", fraction * 100)
    }

    /// `x` in scientific notation with three significant digits, e.g. `"-1.23e-07"`.
    public static func scientific(_ x: Double) -> String {
        String(format: "%.2e", x)
    }
}
