import SecretsClient
import SecretsCore
import SecretsCrypto
import SecretsProtocol
#if canImport(Glibc)
import Glibc
#endif

/// The entries `import` read (from a file, stdin or its own environment), their values in
/// locked memory.
struct ImportSource {
    let entries: [ImportEntry]
    let values: SecureBytes
    /// Whether entries have line numbers (a file) or not (the environment).
    let fromFile: Bool

    /// Reads and parses `file` (`-`: stdin), or with no file the variables of this process
    /// that start with the naming's prefix.
    static func read(file: String?, format: ImportFormat?, naming: ImportNaming) throws(SecretsError) -> ImportSource {
        guard let file else { return environment(naming: naming) }
        let input = try SecretInput.read(file)
        let chosen = format ?? (file.lowercased().hasSuffix(".json") ? .json : .dotenv)
        let values = SecureBytes(count: input.count)
        let parsed = input.withUnsafeBytes { raw in
            values.withUnsafeMutableBytes { out in
                Result { () throws(SecretsError) in
                    switch chosen {
                    case .dotenv: try DotenvParser.parse(raw, into: out)
                    case .json: try JSONSecretsParser.parse(raw, into: out)
                    }
                }
            }
        }
        return ImportSource(entries: try parsed.get(), values: values, fromFile: true)
    }

    /// This process's variables named `PREFIX_…`, values copied into locked memory.
    private static func environment(naming: ImportNaming) -> ImportSource {
        var buffer = SecureBytesBuilder()
        var entries: [ImportEntry] = []
        var pointer = environ
        while let entry = pointer.pointee {
            defer { pointer += 1 }
            let length = strlen(entry)
            let raw = UnsafeRawBufferPointer(start: entry, count: length)
            guard let equals = raw.firstIndex(of: 0x3D) else { continue }
            let key = String(decoding: raw[..<equals], as: UTF8.self)
            guard let prefix = naming.prefix, key.hasPrefix(prefix + "_") else { continue }
            let start = buffer.count
            buffer.append(UnsafeRawBufferPointer(rebasing: raw[(equals + 1)...]))
            entries.append(ImportEntry(key: key, line: 0, value: start..<buffer.count))
        }
        entries.sort { $0.key < $1.key }
        return ImportSource(entries: entries, values: buffer.finish(), fromFile: false)
    }

    /// The writes: each key mapped to a name, checked for size and for two keys naming the
    /// same secret.
    /// - Throws: `.invalidArgument` naming the line (or key) of the first bad entry, or when
    ///   nothing is left to import.
    func items(naming: ImportNaming, environment: Environment,
               mode: SecretsAgent_V1_BatchPutMode) throws(SecretsError) -> [AgentClient.BatchPutItem] {
        var items: [AgentClient.BatchPutItem] = []
        var lines: [String: ImportEntry] = [:]
        for entry in entries {
            let at = fromFile ? "line \(entry.line): " : ""
            let name: SecretName?
            do { name = try naming.name(forKey: entry.key) } catch { throw .invalidArgument(at + error.message) }
            guard let name else { continue }
            do { try SecretLimits.checkValueSize(entry.value.count) } catch {
                throw .invalidArgument("\(at)\(name): \(error.message)")
            }
            if let first = lines[name.rawValue] {
                let where1 = fromFile ? "line \(first.line)" : first.key
                throw .invalidArgument("\(at)\(entry.key) and \(where1) both map to \(name) (keep one of them)")
            }
            lines[name.rawValue] = entry
            items.append(AgentClient.BatchPutItem(name: name.rawValue, environment: environment.rawValue, mode: mode,
                                                  value: entry.value))
        }
        guard !items.isEmpty else {
            if let prefix = naming.prefix {
                throw .invalidArgument("no key starts with \(prefix)_ (check the prefix)")
            }
            throw .invalidArgument("no entries to import (the file holds only comments or blank lines)")
        }
        return items
    }
}
