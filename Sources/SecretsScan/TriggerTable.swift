/// The first two bytes of everything a rule anchors on, as a 65,536-bit set indexed by
/// `first | second << 8`: the scan loop tests one bit per byte and hands only the positions
/// in the set to `ScanPass.dispatch` (DESIGN §12: one pass, no regular expressions).
enum TriggerTable {
    static let bits: [UInt64] = {
        var bits = [UInt64](repeating: 0, count: 1024)
        func add(_ first: Character, _ seconds: String) {
            for second in seconds.utf8 { set(first.asciiValue!, second) }
        }
        func set(_ first: UInt8, _ second: UInt8) {
            let key = Int(first) | Int(second) << 8
            bits[key >> 6] |= 1 << UInt64(key & 63)
        }
        add("A", "KSBCIT")  // AKIA ASIA ABIA ACCA AIza ATATT3
        add("g", "hil")  // gh?_ github_pat_ glpat-
        add("x", "o")  // xox?-
        add("S", "GK")  // SG. SK
        add("k", "e")  // key-
        add("s", "kh")  // sk_live_ sk- shp??_
        add("r", "k")  // rk_live_
        add("w", "h")  // whsec_
        add("h", "f")  // hf_
        add("n", "p")  // npm_
        add("p", "y")  // pypi-
        add("e", "y")  // eyJ
        add("-", "-u")  // -----BEGIN, -us (Mailchimp)
        add("d", "oap")  // do?_v1_ dapi dp.
        add("l", "i")  // lin_api_
        add("E", "A")  // EAAA
        add("D", "e")  // DefaultEndpointsProtocol=
        add("\"", ",")  // "KEY", "value": os.environ.get, os.Setenv, ENV.fetch
        add("'", ",")
        for second in UInt8(0)...255 {
            set(UInt8(ascii: ":"), second)  // ://, :AA (Telegram), assignments, secrets-agent:allow
            set(UInt8(ascii: "="), second)  // assignments
            if ByteSet.isAlnum(second) {
                set(UInt8(ascii: "M"), second)  // Discord
                set(UInt8(ascii: "N"), second)
            }
        }
        return bits
    }()
}
