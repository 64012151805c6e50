import Foundation

// A cheat, for .ci/check-submission: equation (6) that looks its answers up in the
// visible reference case instead of computing them. It earns the visible case's points
// and must lose the hidden case's.

/// Equation (6), answered from Fixtures/cases/equations/hidden-state.json.
public enum HiddenState {
    public struct Cache<T: Real>: Sendable {
        public var tanhC: Matrix<T>, o: Matrix<T>
    }

    public struct Gradients<T: Real>: Sendable {
        public var dC: Matrix<T>, dO: Matrix<T>
    }

    static func visible() -> [String: Any] {
        let url = PackageDirectory.root.appendingPathComponent("Fixtures/cases/equations/hidden-state.json")
        guard let data = try? Data(contentsOf: url),
            let json = try? JSONSerialization.jsonObject(with: data) as? [String: Any]
        else { return [:] }
        return json
    }

    static func values(_ section: String, _ name: String, in json: [String: Any]) -> [Double] {
        let tensor = (json[section] as? [String: Any])?[name] as? [String: Any]
        return (tensor?["values"] as? [NSNumber])?.map(\.doubleValue) ?? []
    }

    static func matrix<T: Real>(_ values: [Double], like m: Matrix<T>) -> Matrix<T> {
        values.count == m.count
            ? Matrix(rows: m.rows, columns: m.columns, elements: values.map { T($0) }) : Matrix(shapeOf: m)
    }

    public static func forward<T>(c: Matrix<T>, o: Matrix<T>) -> (h: Matrix<T>, cache: Cache<T>) {
        let json = visible()
        let expected = values("inputs", "c", in: json)
        let known =
            expected.count == c.count
            && zip(c.elements, expected).allSatisfy { abs(Double($0) - $1) <= 1e-12 * max(1, abs($1)) }
        let h = known ? matrix(values("outputs", "h", in: json), like: c) : Matrix(shapeOf: c)
        return (h, Cache(tanhC: c, o: o))
    }

    public static func backward<T>(_ dH: Matrix<T>, cache: Cache<T>) -> Gradients<T> {
        let json = visible()
        return Gradients(
            dC: matrix(values("gradients", "c", in: json), like: dH),
            dO: matrix(values("gradients", "o", in: json), like: dH))
    }
}
