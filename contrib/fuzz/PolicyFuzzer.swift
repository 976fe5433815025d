// libFuzzer target `policy`: `Policy.parse` on arbitrary text (bytes decoded as UTF-8,
// invalid sequences replaced), then everything the agent and `policy check` do with a
// parsed policy. Build and run with contrib/scripts/fuzz.sh policy.
//
// Checks, for every input:
// - a rejection is `.invalidArgument("fuzz.toml:LINE: ...")` with LINE within the text,
//   at most 4 KiB long and without control characters (the text is untrusted; its bytes
//   reach messages only quoted and truncated);
// - an accepted policy, written back as TOML, parses to the same rules (lines aside);
// - warnings, usesGroups/usesExecutable/usesOnlyUID, resolved(uidOf:gidOf:),
//   socketAudience and rule(for:) run without trapping, and rule(for:) returns the first
//   rule whose matches(_:) is true.
import SecretsCore

private let source = "fuzz.toml"

@_cdecl("LLVMFuzzerTestOneInput")
public func policyFuzzerTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let bytes = size == 0 ? [] : Array(UnsafeBufferPointer(start: data!, count: size))
    let text = String(decoding: bytes, as: UTF8.self)
    let policy: Policy
    do throws(SecretsError) {
        policy = try Policy.parse(text, source: source)
    } catch {
        checkRejection(error, text)
        return 0
    }
    checkRoundTrip(policy)
    exercise(policy)
    return 0
}

private func checkRejection(_ error: SecretsError, _ text: String) {
    precondition(error.code == .invalidArgument, "rejection with code \(error.code): \(error.message)")
    let message = error.message
    precondition(message.utf8.count <= 4096, "\(message.utf8.count)-byte rejection message")
    precondition(!message.unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x7F },
                 "control character in the rejection: \(message.debugDescription)")
    let prefix = source + ":"
    precondition(message.hasPrefix(prefix), "rejection without \(prefix)LINE: \(message.debugDescription)")
    let lineText = message.dropFirst(prefix.count).prefix { $0.isASCII && $0.isNumber }
    guard let line = Int(lineText) else { preconditionFailure("rejection without a line number: \(message.debugDescription)") }
    let lines = text.utf8.count { $0 == UInt8(ascii: "\n") } + 1
    precondition(line >= 1 && line <= lines, "rejection at line \(line) of a \(lines)-line text: \(message.debugDescription)")
}

/// The rules as TOML: every key the rule has, strings as basic strings.
private func render(_ policy: Policy) -> String {
    var out = ""
    for rule in policy.rules {
        out += "[[rule]]\n"
        if let user = rule.user { out += "user = \(quote(user))\n" }
        if let uid = rule.uid { out += "uid = \(uid)\n" }
        if let group = rule.group { out += "group = \(quote(group))\n" }
        if let gid = rule.gid { out += "gid = \(gid)\n" }
        if let exe = rule.exe { out += "exe = \(quote(exe))\n" }
        if let unit = rule.unit { out += "unit = \(quote(unit.rawValue))\n" }
        out += "role = \(quote(rule.role.rawValue))\n"
        if let environments = rule.environments {
            out += "environments = [" + environments.map { quote($0.rawValue) }.joined(separator: ", ") + "]\n"
        }
        if let secrets = rule.secrets {
            out += "secrets = [" + secrets.map { quote($0.pattern) }.joined(separator: ", ") + "]\n"
        }
    }
    return out
}

private func quote(_ text: String) -> String {
    var out = "\""
    for scalar in text.unicodeScalars {
        switch scalar {
        case "\"": out += "\\\""
        case "\\": out += "\\\\"
        case _ where scalar.value < 0x20 || scalar.value == 0x7F:
            out += "\\u00" + (scalar.value < 0x10 ? "0" : "") + String(scalar.value, radix: 16)
        default: out.unicodeScalars.append(scalar)
        }
    }
    return out + "\""
}

private func withoutLines(_ rules: [PolicyRule]) -> [PolicyRule] {
    rules.map { rule in
        var copy = rule
        copy.line = 0
        return copy
    }
}

private func checkRoundTrip(_ policy: Policy) {
    let text = render(policy)
    let again: Policy
    do throws(SecretsError) {
        again = try Policy.parse(text, source: source)
    } catch {
        fatalError("a parsed policy, written back, does not parse: \(error.message)\n\(text)")
    }
    precondition(withoutLines(again.rules) == withoutLines(policy.rules), "a parsed policy, written back, parses differently:\n\(text)")
}

private func exercise(_ policy: Policy) {
    _ = policy.warnings
    _ = (policy.usesGroups, policy.usesExecutable, policy.usesOnlyUID)
    // A host where every name of up to 8 bytes exists, with an id taken from its bytes.
    let lookUp: (String) -> UInt32? = { name in
        name.utf8.count <= 8 ? name.utf8.reduce(UInt32(7)) { $0 &* 31 &+ UInt32($1) } % 4_294_967_295 : nil
    }
    let resolved: Policy
    do throws(SecretsError) {
        resolved = try policy.resolved(uidOf: lookUp, gidOf: lookUp)
    } catch {
        precondition(error.code == .invalidArgument && error.message.hasPrefix(source + ":"),
                     "resolved(uidOf:gidOf:) failed without SOURCE:LINE: \(error.message.debugDescription)")
        return
    }
    for owner in [0, 1000] as [UInt32] { _ = resolved.socketAudience(ownerUID: owner) }
    var callers = [Caller(uid: 0, gids: [0]), Caller(uid: 1000, gids: [1000, 27], exe: "/usr/bin/python3")]
    for rule in resolved.rules.prefix(4) {
        callers.append(Caller(uid: rule.uid ?? 1, gids: Set([rule.gid ?? 2]), exe: rule.exe))
        if let unit = rule.unit { callers.append(.unit(unit)) }
    }
    for caller in callers {
        let first = resolved.rules.first { $0.matches(caller) }
        precondition(resolved.rule(for: caller) == first, "rule(for:) is not the first matching rule")
        precondition(first.map { $0.unit == caller.unit } ?? true, "a unit rule matched a peer, or a peer rule a unit")
        if let rule = first {
            _ = rule.summary
            for name in ["openai/key", "db/a/b", "x"] {
                if let name = try? SecretName(name) { _ = rule.allows(name: name) }
            }
            if let environment = try? Environment("production") { _ = rule.allows(environment: environment) }
        }
    }
}
