#if canImport(Glibc)
import Glibc
#endif

/// The CLI's own environment, read from `environ` (it never holds a secret value).
enum ProcessEnvironment {
    static func current() -> [(String, String)] {
        var result: [(String, String)] = []
        var pointer = environ
        while let entry = pointer.pointee {
            let text = String(cString: entry)
            if let equals = text.firstIndex(of: "=") {
                result.append((String(text[..<equals]), String(text[text.index(after: equals)...])))
            }
            pointer += 1
        }
        return result
    }

    static func value(of name: String) -> String? {
        getenv(name).map { String(cString: $0) }
    }
}
