/// How a value is shown to someone who may only see its shape (DESIGN §6): length ≤ 10 →
/// `***`; 11–20 → first 3 + `...` + last 3; > 20 → first 10 + `...` + last 3. Counted in
/// characters (Unicode scalars of valid UTF-8), never splitting a sequence; bytes that are
/// not UTF-8 are fully masked.
public enum Masking {
    /// The masked form of `value`.
    public static func mask(_ value: some Collection<UInt8>) -> String {
        guard let text = String(validating: value, as: UTF8.self) else { return "***" }
        let scalars = Array(text.unicodeScalars)
        func join(_ head: Int, _ tail: Int) -> String {
            var out = String.UnicodeScalarView()
            out.append(contentsOf: scalars[0..<head])
            out.append(contentsOf: "...".unicodeScalars)
            out.append(contentsOf: scalars[(scalars.count - tail)...])
            return String(out)
        }
        switch scalars.count {
        case ...10: return "***"
        case 11...20: return join(3, 3)
        default: return join(10, 3)
        }
    }
}
