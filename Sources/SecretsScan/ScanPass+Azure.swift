/// Azure storage connection strings.
extension ScanPass {
    static let maximumConnectionString = 2048

    /// `DefaultEndpointsProtocol=…;AccountName=…;AccountKey=<88 base64>;…`: the whole string,
    /// up to a blank, quote, `<`, `>`, `,`, backslash or the next `DefaultEndpointsProtocol=`
    /// (so no byte is read by two strings).
    mutating func azureConnectionString(_ i: Int) {
        guard on(.azureStorageConnectionString), text.has("DefaultEndpointsProtocol=", at: i),
              text.boundary(before: i, .word) else { return }
        let stop = min(text.count, i + ScanPass.maximumConnectionString)
        var p = i
        var end = i
        var named = false
        var key = 0..<0
        while p < stop {
            var q = p
            var equals = -1
            while q < stop {
                let b = text[q]
                if b == UInt8(ascii: ";") || ScanPass.endsConnectionString(b) { break }
                if b == UInt8(ascii: "D"), q > i, text.has("DefaultEndpointsProtocol=", at: q) { break }
                if b == UInt8(ascii: "="), equals < 0 { equals = q }
                q += 1
            }
            guard q > p else { break }
            if equals > p {
                if text.equals(p, equals, "AccountName") { named = equals + 1 < q }
                if text.equals(p, equals, "AccountKey") { key = equals + 1..<q }
            }
            end = q
            guard q < stop, text[q] == UInt8(ascii: ";"), !text.has("DefaultEndpointsProtocol=", at: q + 1) else { break }
            p = q + 1
        }
        guard named, isAccountKey(key) else { return }
        add(.azureStorageConnectionString, i, end)
    }

    private static func endsConnectionString(_ b: UInt8) -> Bool {
        switch b {
        case 0x00...0x20, 0x7F, UInt8(ascii: "\""), UInt8(ascii: "'"), UInt8(ascii: "`"), UInt8(ascii: "<"),
             UInt8(ascii: ">"), UInt8(ascii: ","), UInt8(ascii: "\\"): true
        default: false
        }
    }

    /// 88 base64 characters, `=` only as the last one or two.
    private func isAccountKey(_ key: Range<Int>) -> Bool {
        guard key.count == 88 else { return false }
        var padding = 0
        for k in key {
            let b = text[k]
            if b == UInt8(ascii: "=") {
                padding += 1
            } else if padding > 0 || !ByteSet.base64.contains(b) {
                return false
            }
        }
        return padding <= 2 && !Placeholder.isDocumentationToken(text, key.lowerBound, key.upperBound - padding)
    }
}
