// libFuzzer target `template`: `Template.parse` on arbitrary bytes, as `secrets-agent
// inject` reads a template (DESIGN §8, §12), against a reference written from the grammar.
//
// Checks:
// - `parse` accepts exactly the inputs the reference accepts: every `{{` (leftmost first)
//   starts `{{ secret "NAME" }}` or `{{ secret "NAME" env="E" }}` with spaces or tabs as the
//   grammar allows, a valid name and environment, all on one line;
// - a rejection is `.invalidArgument("template line L, column C: ...")` with L and C inside
//   the text, at most 4 KiB and without control characters;
// - an accepted template's references are distinct, valid, in order of first appearance,
//   and their descriptions parse back to themselves; rendered with a dummy value per
//   reference it equals the reference's substitution (so every tag is substituted and all
//   other bytes are copied), and `renderedCount` and `render(text:value:)` agree with it.
import SecretsCore

@_cdecl("LLVMFuzzerTestOneInput")
public func templateFuzzerTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let bytes = size == 0 ? [] : Array(UnsafeBufferPointer(start: data!, count: size))
    let expected = referenceRender(bytes)
    do throws(SecretsError) {
        let template = try Template.parse(bytes)
        guard let expected else { preconditionFailure("parse accepted \(describe(bytes)), which the grammar refuses") }
        checkAccepted(template, expected)
    } catch {
        precondition(expected == nil, "parse refused \(describe(bytes)), which the grammar accepts: \(error.message)")
        checkRejection(error, bytes)
    }
    return 0
}

/// The dummy value of a reference: distinct per name and environment, never holding `{{`.
private func dummy(_ name: String, _ environment: String?) -> [UInt8] {
    [0x00] + Array("\(name)|\(environment ?? "-")".utf8) + [0x01]
}

private func checkAccepted(_ template: Template, _ expected: (output: [UInt8], references: [Template.Reference])) {
    let references = template.references
    precondition(references == expected.references, "references \(references) != \(expected.references)")
    precondition(Set(references).count == references.count, "duplicate references in \(references)")
    for reference in references {
        precondition((try? SecretName(reference.name)) != nil, "invalid name in \(reference)")
        if let environment = reference.environment {
            precondition((try? Environment(environment)) != nil, "invalid environment in \(reference)")
        }
        let again = try? Template.parse(Array(reference.description.utf8))
        precondition(again?.references == [reference], "\(reference) does not parse back to itself")
    }
    let rendered = template.render { dummy($0.name, $0.environment) }
    precondition(rendered == expected.output, "rendered output differs from the reference substitution")
    var walked: [UInt8] = []
    template.render(text: { walked += $0 }, value: { walked += dummy(references[$0].name, references[$0].environment) })
    precondition(walked == rendered, "render(text:value:) differs from render(_:)")
    let count = template.renderedCount { dummy(references[$0].name, references[$0].environment).count }
    precondition(count == rendered.count, "renderedCount \(String(describing: count)) != \(rendered.count)")
}

private func checkRejection(_ error: SecretsError, _ bytes: [UInt8]) {
    precondition(error.code == .invalidArgument, "refused with code \(error.code)")
    let message = error.message
    precondition(message.utf8.count <= 4096, "\(message.utf8.count)-byte message")
    precondition(!message.unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x7F },
                 "control character in \(message.debugDescription)")
    let head = message.split(separator: ":", maxSplits: 1).first.map(String.init) ?? ""
    let numbers = head.split(whereSeparator: { !$0.isNumber }).compactMap { Int($0) }
    precondition(head.hasPrefix("template line ") && head.contains(", column ") && numbers.count == 2,
                 "malformed message \(message.debugDescription)")
    let lines = bytes.split(separator: 0x0A, omittingEmptySubsequences: false).map(\.count)
    let (line, column) = (numbers[0], numbers[1])
    precondition(line >= 1 && line <= lines.count && column >= 1 && column <= lines[line - 1] + 1,
                 "position \(line):\(column) outside the text in \(message.debugDescription)")
}

private func describe(_ bytes: [UInt8]) -> String {
    String(decoding: bytes.prefix(256), as: UTF8.self).debugDescription
}

// MARK: - Reference (DESIGN §12 and the grammar in Template.swift)

/// The substitution of `bytes` with `dummy` values and its distinct references, or nil when
/// some `{{` does not start a valid tag. Written independently of `Template`: a tag is the
/// text from `{{` to the first `}}` (names and environments cannot hold `}`), split by hand.
private func referenceRender(_ bytes: [UInt8]) -> (output: [UInt8], references: [Template.Reference])? {
    var output: [UInt8] = []
    var references: [Template.Reference] = []
    var i = 0
    while i < bytes.count {
        guard bytes[i] == 0x7B, i + 1 < bytes.count, bytes[i + 1] == 0x7B else {
            output.append(bytes[i])
            i += 1
            continue
        }
        var close = i + 2
        while close + 1 < bytes.count, !(bytes[close] == 0x7D && bytes[close + 1] == 0x7D) { close += 1 }
        guard close + 1 < bytes.count else { return nil }
        guard let (name, environment) = referenceTag(Array(bytes[(i + 2)..<close])) else { return nil }
        let reference = Template.Reference(name: name, environment: environment)
        if !references.contains(reference) { references.append(reference) }
        output += dummy(name, environment)
        i = close + 2
    }
    return (output, references)
}

/// The name and environment of a tag's inside (between `{{` and `}}`), or nil.
private func referenceTag(_ inside: [UInt8]) -> (String, String?)? {
    let blank: (UInt8) -> Bool = { $0 == 0x20 || $0 == 0x09 }
    var rest = inside[...].drop(while: blank)
    guard rest.starts(with: "secret".utf8) else { return nil }
    rest = rest.dropFirst(6)
    guard let first = rest.first, blank(first) else { return nil }
    rest = rest.drop(while: blank)
    guard let name = quoted(&rest), isName(name) else { return nil }
    if rest.allSatisfy(blank) { return (String(decoding: name, as: UTF8.self), nil) }
    guard let next = rest.first, blank(next) else { return nil }
    rest = rest.drop(while: blank)
    guard rest.starts(with: "env=".utf8) else { return nil }
    rest = rest.dropFirst(4)
    guard let environment = quoted(&rest), isEnvironment(environment), rest.allSatisfy(blank) else { return nil }
    return (String(decoding: name, as: UTF8.self), String(decoding: environment, as: UTF8.self))
}

/// The contents of a `"..."` at the start of `rest`, which moves past it; nil without one.
private func quoted(_ rest: inout ArraySlice<UInt8>) -> [UInt8]? {
    guard rest.first == 0x22, let end = rest.dropFirst().firstIndex(of: 0x22) else { return nil }
    let contents = Array(rest[(rest.startIndex + 1)..<end])
    rest = rest[(end + 1)...]
    return contents
}

private func isWordByte(_ b: UInt8) -> Bool {
    (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || (b >= 0x30 && b <= 0x39) || b == 0x5F
}

/// `[A-Za-z0-9_][A-Za-z0-9_./-]{0,254}`, no `..` segment (DESIGN §5).
private func isName(_ b: [UInt8]) -> Bool {
    guard (1...255).contains(b.count), isWordByte(b[0]) else { return false }
    guard b.allSatisfy({ isWordByte($0) || $0 == 0x2E || $0 == 0x2F || $0 == 0x2D }) else { return false }
    return !b.split(separator: 0x2F, omittingEmptySubsequences: false).contains { $0.elementsEqual([0x2E, 0x2E]) }
}

/// `[a-z][a-z0-9-]{0,31}` (DESIGN §5).
private func isEnvironment(_ b: [UInt8]) -> Bool {
    guard (1...32).contains(b.count), (0x61...0x7A).contains(b[0]) else { return false }
    return b.allSatisfy { (0x61...0x7A).contains($0) || (0x30...0x39).contains($0) || $0 == 0x2D }
}
