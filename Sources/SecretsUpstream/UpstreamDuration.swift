import SecretsCore

/// Durations for `--cache-ttl`, `--max-stale` and `--upstream-poll`: the forms of
/// `DurationText` (`30s`, `5m`, `12h`, `1d12h`), a bare number of seconds (`90`), or `0`.
public enum UpstreamDuration {
    /// Seconds in `text`.
    /// - Parameter allowZero: whether `0` is accepted (it is for `--cache-ttl`: always ask).
    /// - Throws: `.invalidArgument` naming the flag and the accepted forms.
    public static func seconds(_ text: String, flag: String, allowZero: Bool = true) throws(SecretsError) -> UInt64 {
        let failure = SecretsError.invalidArgument("\(flag) \"\(text.prefix(40))\" is not a duration (write e.g. 30s, 5m, 12h, 1d or a number of seconds)")
        if !text.isEmpty, text.allSatisfy({ $0.isASCII && $0.isNumber }) {
            guard text.count <= 12, let value = UInt64(text), value <= DurationText.maximumSeconds else { throw failure }
            guard value > 0 || allowZero else {
                throw .invalidArgument("\(flag) must be more than 0 seconds")
            }
            return value
        }
        do {
            return try DurationText.seconds(text)
        } catch {
            throw failure
        }
    }
}
