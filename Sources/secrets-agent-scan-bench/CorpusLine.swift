/// One line of a generated file and what it holds, which the labels are made from.
struct CorpusLine: Sendable {
    enum Role: Sendable {
        case plain
        /// The line a planted credential is labeled on (its BEGIN line, for a block).
        case credential(Credential)
        /// Another line of a planted credential (a block's body, the key that introduces it, the
        /// rest of a service-account key): part of its span, not labeled.
        case credentialPart
        /// A hard negative: something a scanner might mistake for a credential.
        case decoy(DecoyKind)
    }

    var text: String
    var role: Role

    static func plain(_ text: String) -> CorpusLine { CorpusLine(text: text, role: .plain) }
    static func decoy(_ kind: DecoyKind, _ text: String) -> CorpusLine { CorpusLine(text: text, role: .decoy(kind)) }
    static func part(_ text: String) -> CorpusLine { CorpusLine(text: text, role: .credentialPart) }

    /// The lines of a block credential, the first one labeled: `prefix` goes before its
    /// first line, `suffix` after its last, `indent` before every other line.
    static func block(_ credential: Credential, prefix: String = "", indent: String = "", suffix: String = "") -> [CorpusLine] {
        let lines = credential.lines
        return lines.enumerated().map { index, line in
            let text = (index == 0 ? prefix : indent) + line + (index == lines.count - 1 ? suffix : "")
            return CorpusLine(text: text, role: index == 0 ? .credential(credential) : .credentialPart)
        }
    }

    /// A service-account key pretty-printed at `indent`, labeled on its `"private_key"`
    /// line; `opening` replaces the first line (`{`) when the object is a member or a value.
    static func serviceAccount(_ credential: Credential, indent: String, opening: String? = nil) -> [CorpusLine] {
        var (lines, keyLine) = credential.serviceAccount!.prettyLines(indent: indent)
        if let opening { lines[0] = opening }
        return lines.enumerated().map { $0.offset == keyLine ? .credential(credential, $0.element) : .part($0.element) }
    }

    /// `text` labeled with `credential`.
    static func credential(_ credential: Credential, _ text: String) -> CorpusLine {
        CorpusLine(text: text, role: .credential(credential))
    }
}

/// A group of lines the composers emit and the assembler places whole.
typealias Section = [CorpusLine]
