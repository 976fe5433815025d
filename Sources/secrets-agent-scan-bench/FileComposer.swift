/// Writes one kind of file: filler sections (with hard negatives), a section around each
/// planted credential, and the frame they go in. The assembler places the plant sections
/// at random between filler sections.
protocol FileComposer {
    /// Lines before the first section.
    static func header(_ rng: inout SplitMix64) -> Section
    /// One section of ordinary content.
    static func filler(_ rng: inout SplitMix64) -> Section
    /// A section holding `credential`, exactly one of its lines labeled.
    static func plant(_ credential: Credential, _ rng: inout SplitMix64) -> Section
    /// Lines after the last section.
    static func footer(_ rng: inout SplitMix64) -> Section
    /// The sections in order, with whatever goes between them (JSON's commas).
    static func join(_ sections: [Section]) -> Section
}

extension FileComposer {
    static func header(_ rng: inout SplitMix64) -> Section { [] }
    static func footer(_ rng: inout SplitMix64) -> Section { [] }
    static func join(_ sections: [Section]) -> Section { sections.flatMap { $0 } }
}

extension FileKind {
    /// The composer of this kind (key files and service-account keys are whole-file
    /// plants, written by `KeyFileComposer` and `ServiceAccountComposer`).
    var composer: any FileComposer.Type {
        switch self {
        case .env: EnvComposer.self
        case .yaml: YAMLComposer.self
        case .json: JSONComposer.self
        case .toml: TOMLComposer.self
        case .ini: INIComposer.self
        case .python: PythonComposer.self
        case .javascript: JavaScriptComposer.self
        case .go: GoComposer.self
        case .swift: SwiftComposer.self
        case .shell: ShellComposer.self
        case .ci: CIComposer.self
        case .log: LogComposer.self
        case .markdown: MarkdownComposer.self
        case .lockfile: LockfileComposer.self
        case .keyFile, .serviceAccount: preconditionFailure("\(self) files are written whole")
        }
    }
}

/// Quoting shared by the formats.
enum Quote {
    /// `"value"` with JSON escapes for `"` and `\`.
    static func json(_ value: String) -> String {
        "\"" + value.replacingAll("\\", with: "\\\\").replacingAll("\"", with: "\\\"") + "\""
    }

    /// A YAML scalar: plain when it is safe, else double-quoted.
    static func yaml(_ assignment: Assignment) -> String {
        guard assignment.isString else { return assignment.value }
        let plainSafe = assignment.value.allSatisfy { $0.isLetter || $0.isNumber || "._/-".contains($0) }
            && !(assignment.value.first.map { "-.".contains($0) } ?? true)
            && !["true", "false", "null", "yes", "no", "on", "off"].contains(assignment.value.lowercased())
        return plainSafe ? assignment.value : json(assignment.value)
    }
}

extension String {
    /// Every `target` replaced by `replacement` (Foundation-free).
    func replacingAll(_ target: String, with replacement: String) -> String {
        guard !target.isEmpty, contains(target) else { return self }
        var result = ""
        var rest = self[...]
        while let range = rest.firstRange(of: target) {
            result += rest[..<range.lowerBound] + replacement
            rest = rest[range.upperBound...]
        }
        return result + rest
    }
}
