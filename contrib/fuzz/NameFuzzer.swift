// libFuzzer target `name`: `SecretName`, `Environment` and `NameGlob` on arbitrary strings
// (bytes decoded as UTF-8, invalid sequences replaced), each against a reference written
// from DESIGN §5 and §6. Build and run with contrib/scripts/fuzz.sh name.
//
// The whole input is tried as a name, an environment and a glob; split at its first
// newline it is also a glob and a name to match against it. Checks:
// - each validator accepts exactly what its reference rule accepts, and a rejection is
//   `.invalidArgument` with a message of at most 4 KiB without control characters;
// - an environment is also a valid name, and a name is a glob that matches only itself;
// - `NameGlob.matches` agrees with a memoized backtracking matcher, `**` matches
//   everything and `*` everything without a `/`.
import SecretsCore

@_cdecl("LLVMFuzzerTestOneInput")
public func nameFuzzerTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let bytes = size == 0 ? [] : Array(UnsafeBufferPointer(start: data!, count: size))
    let text = String(decoding: bytes, as: UTF8.self)
    checkValidators(text)
    if let newline = bytes.firstIndex(of: UInt8(ascii: "\n")) {
        let pattern = String(decoding: bytes[..<newline], as: UTF8.self)
        let name = String(decoding: bytes[(newline + 1)...], as: UTF8.self)
        checkMatch(pattern, name)
    }
    return 0
}

private func checkValidators(_ text: String) {
    let name = validated("SecretName", text, isName(text)) { () throws(SecretsError) in try SecretName(text) }
    let environment = validated("Environment", text, isEnvironment(text)) { () throws(SecretsError) in try Environment(text) }
    let glob = validated("NameGlob", text, isGlob(text)) { () throws(SecretsError) in try NameGlob(text) }
    if environment != nil { precondition(name != nil, "environment \(text.debugDescription) is not a valid name") }
    if let name {
        precondition(name.rawValue == text && glob != nil, "name \(text.debugDescription) is not a valid glob")
        precondition(glob!.matches(text), "the glob of name \(text.debugDescription) does not match it")
    }
    if let environment { precondition(environment.rawValue == text, "Environment changed \(text.debugDescription)") }
    if let glob { precondition(glob.pattern == text, "NameGlob changed \(text.debugDescription)") }
}

/// Runs `make` and checks it against `reference`; returns the value it made.
private func validated<T>(_ type: String, _ text: String, _ reference: Bool,
                          _ make: () throws(SecretsError) -> T) -> T? {
    do throws(SecretsError) {
        let value = try make()
        precondition(reference, "\(type) accepted \(text.debugDescription), which its rule refuses")
        return value
    } catch {
        precondition(!reference, "\(type) refused \(text.debugDescription), which its rule accepts: \(error.message)")
        precondition(error.code == .invalidArgument, "\(type) refused with code \(error.code)")
        precondition(error.message.utf8.count <= 4096, "\(type): \(error.message.utf8.count)-byte message")
        precondition(!error.message.unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x7F },
                     "\(type): control character in \(error.message.debugDescription)")
        return nil
    }
}

private func checkMatch(_ pattern: String, _ name: String) {
    guard let glob = try? NameGlob(pattern) else { return }
    let text = Array(name.utf8)
    let got = glob.matches(name)
    if text.count <= 512 {
        precondition(got == referenceMatch(Array(pattern.utf8), text),
                     "NameGlob(\(pattern.debugDescription)).matches(\(name.debugDescription)) is \(got)")
    }
    if let star = try? NameGlob("*"), let doubleStar = try? NameGlob("**") {
        precondition(doubleStar.matches(name), "** does not match \(name.debugDescription)")
        precondition(star.matches(name) == !text.contains(UInt8(ascii: "/")), "* on \(name.debugDescription)")
    }
}

// MARK: - References (DESIGN §5, §6)

private func isWordByte(_ b: UInt8) -> Bool {
    (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || (b >= 0x30 && b <= 0x39) || b == 0x5F
}

/// `[A-Za-z0-9_][A-Za-z0-9_./-]{0,254}`, no `..` segment.
private func isName(_ text: String) -> Bool {
    let b = Array(text.utf8)
    guard (1...255).contains(b.count), isWordByte(b[0]) else { return false }
    guard b.allSatisfy({ isWordByte($0) || $0 == 0x2E || $0 == 0x2F || $0 == 0x2D }) else { return false }
    return !b.split(separator: 0x2F, omittingEmptySubsequences: false).contains { $0.elementsEqual([0x2E, 0x2E]) }
}

/// `[a-z][a-z0-9-]{0,31}`.
private func isEnvironment(_ text: String) -> Bool {
    let b = Array(text.utf8)
    guard (1...32).contains(b.count), (0x61...0x7A).contains(b[0]) else { return false }
    return b.allSatisfy { (0x61...0x7A).contains($0) || (0x30...0x39).contains($0) || $0 == 0x2D }
}

/// 1-255 bytes of name characters and `*`, never three `*` in a row.
private func isGlob(_ text: String) -> Bool {
    let b = Array(text.utf8)
    guard (1...255).contains(b.count) else { return false }
    guard b.allSatisfy({ isWordByte($0) || $0 == 0x2E || $0 == 0x2F || $0 == 0x2D || $0 == 0x2A }) else { return false }
    return !(0..<max(0, b.count - 2)).contains { b[$0] == 0x2A && b[$0 + 1] == 0x2A && b[$0 + 2] == 0x2A }
}

/// Backtracking glob matching, memoized: `**` any run, `*` any run without `/`.
private func referenceMatch(_ pattern: [UInt8], _ text: [UInt8]) -> Bool {
    var memo = [Bool?](repeating: nil, count: (pattern.count + 1) * (text.count + 1))
    func match(_ i: Int, _ j: Int) -> Bool {
        let key = i * (text.count + 1) + j
        if let known = memo[key] { return known }
        let result: Bool
        if i == pattern.count {
            result = j == text.count
        } else if pattern[i] == 0x2A {
            let crossesSlash = i + 1 < pattern.count && pattern[i + 1] == 0x2A
            let next = crossesSlash ? i + 2 : i + 1
            var k = j
            var found = match(next, k)
            while !found, k < text.count, crossesSlash || text[k] != 0x2F {
                k += 1
                found = match(next, k)
            }
            result = found
        } else {
            result = j < text.count && text[j] == pattern[i] && match(i + 1, j + 1)
        }
        memo[key] = result
        return result
    }
    return match(0, 0)
}
