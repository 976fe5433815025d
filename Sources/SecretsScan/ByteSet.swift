/// A class of bytes, tested with arithmetic rather than a table: each case folds to a few
/// comparisons where the class is a constant.
enum ByteSet {
    case digit, hex, lowerHex, alpha, alnum, base32, word, base64url, base64, slack, atlassian, keyName, scheme
    /// A-Z and 0-9.
    case upperAlnum
    /// A-Z and space: a PEM label.
    case pemLabel
    /// Anything but a line feed.
    case notNewline

    @inline(__always) func contains(_ b: UInt8) -> Bool {
        switch self {
        case .digit: return ByteSet.isDigit(b)
        case .hex: return ByteSet.isDigit(b) || (b | 0x20) &- 0x61 < 6
        case .lowerHex: return ByteSet.isDigit(b) || b &- 0x61 < 6
        case .alpha: return ByteSet.isAlpha(b)
        case .alnum: return ByteSet.isAlnum(b)
        case .base32: return b &- 0x41 < 26 || b &- 0x32 < 6  // A-Z 2-7
        case .word: return ByteSet.isAlnum(b) || b == 0x5F
        case .base64url: return ByteSet.isAlnum(b) || b == 0x5F || b == 0x2D
        case .base64: return ByteSet.isAlnum(b) || b == 0x2B || b == 0x2F
        case .slack: return ByteSet.isAlnum(b) || b == 0x2D
        case .atlassian: return ByteSet.isAlnum(b) || b == 0x5F || b == 0x2D || b == 0x3D
        case .keyName: return ByteSet.isAlnum(b) || b == 0x5F || b == 0x2D || b == 0x2E
        case .scheme: return ByteSet.isAlnum(b) || b == 0x2B || b == 0x2D || b == 0x2E
        case .upperAlnum: return ByteSet.isUpper(b) || ByteSet.isDigit(b)
        case .pemLabel: return ByteSet.isUpper(b) || b == 0x20
        case .notNewline: return b != 0x0A
        }
    }

    @inline(__always) static func isDigit(_ b: UInt8) -> Bool { b &- 0x30 < 10 }
    @inline(__always) static func isAlpha(_ b: UInt8) -> Bool { (b | 0x20) &- 0x61 < 26 }
    @inline(__always) static func isAlnum(_ b: UInt8) -> Bool { isDigit(b) || isAlpha(b) }
    @inline(__always) static func isUpper(_ b: UInt8) -> Bool { b &- 0x41 < 26 }
    @inline(__always) static func isLower(_ b: UInt8) -> Bool { b &- 0x61 < 26 }
    /// Space or tab.
    @inline(__always) static func isBlank(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 }
    /// Space, tab, CR, LF, VT or FF.
    @inline(__always) static func isWhitespace(_ b: UInt8) -> Bool { b == 0x20 || b &- 0x09 < 5 }
    /// An ASCII letter in lower case; any other byte as it is.
    @inline(__always) static func lower(_ b: UInt8) -> UInt8 { isUpper(b) ? b | 0x20 : b }
}
