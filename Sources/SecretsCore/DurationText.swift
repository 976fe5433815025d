/// Durations as people write them for rotation policies: a whole number and a unit,
/// `s`, `m`, `h`, `d` or `w` (`30d`, `12h`, `90m`), or several in a row (`1d12h`).
public enum DurationText {
    /// The longest accepted: ten years.
    public static let maximumSeconds: UInt64 = 10 * 366 * 86_400

    /// Seconds in `text`.
    /// - Throws: `.invalidArgument` naming the text and the accepted form.
    public static func seconds(_ text: String) throws(SecretsError) -> UInt64 {
        let failure = SecretsError.invalidArgument("\"\(text.prefix(40))\" is not a duration (write e.g. 30d, 12h, 90m, 1w or 1d12h)")
        var total: UInt64 = 0
        var digits = ""
        guard !text.isEmpty else { throw failure }
        for character in text {
            if let digit = character.wholeNumberValue, character.isASCII {
                guard digits.count < 12 else { throw failure }
                digits.append(Character(String(digit)))
                continue
            }
            let unit: UInt64
            switch character {
            case "s": unit = 1
            case "m": unit = 60
            case "h": unit = 3600
            case "d": unit = 86_400
            case "w": unit = 604_800
            default: throw failure
            }
            guard let amount = UInt64(digits) else { throw failure }
            total += amount * unit
            guard total <= maximumSeconds else { throw failure }
            digits = ""
        }
        guard digits.isEmpty, total > 0 else { throw failure }
        return total
    }

    /// `seconds` in the largest unit that divides it (`30d`, `36h`, `90s`).
    public static func format(_ seconds: UInt64) -> String {
        for (unit, suffix) in [(UInt64(604_800), "w"), (86_400, "d"), (3600, "h"), (60, "m")] where seconds % unit == 0 && seconds >= unit {
            return "\(seconds / unit)\(suffix)"
        }
        return "\(seconds)s"
    }
}
