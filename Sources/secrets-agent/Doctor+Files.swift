import Foundation
import SecretsAgentKit
import SecretsCore
#if canImport(Glibc)
import Glibc
#endif

/// The doctor's file checks: store, socket directory, key files, credentials, policy, unit,
/// and secret-looking files others can read.
extension SecretsAgentCommand.Doctor {
    static func storeChecks(_ store: String, owner: DoctorOwner) -> [DoctorCheck] {
        let directory = parent(of: store)
        var checks: [DoctorCheck] = []
        if let dir = DoctorFile(directory) {
            if !dir.isDirectory {
                checks.append(.fail("store directory", "\(directory) is not a directory", fix: "run: secrets-agent init --store \(store)"))
            } else if !owner.owns(dir) {
                checks.append(.fail("store directory", "\(directory) is owned by uid \(dir.owner), not \(owner.label)", fix: "run: chown \(owner.chownName) \(directory)"))
            } else if dir.mode & 0o777 != 0o700 {
                checks.append(.fail("store directory", "\(directory) has mode \(dir.octal), want 0700", fix: "run: chmod 700 \(directory)"))
            } else {
                checks.append(.ok("store directory", "\(directory): 0700, \(owner.label)"))
            }
        } else {
            checks.append(.fail("store directory", "\(directory): \(DoctorFile.why())", fix: "run: secrets-agent init --store \(store)"))
        }
        if let file = DoctorFile(store) {
            if file.isSymlink {
                checks.append(.fail("store file", "\(store) is a symlink", fix: "run: mv \"$(readlink -f \(store))\" \(store)"))
            } else if !file.isRegular {
                checks.append(.fail("store file", "\(store) is not a regular file", fix: "run: secrets-agent init --store \(store)"))
            } else if !owner.owns(file) {
                checks.append(.fail("store file", "\(store) is owned by uid \(file.owner), not \(owner.label)", fix: "run: chown \(owner.chownName) \(store)"))
            } else if file.mode & 0o077 != 0 {
                checks.append(.fail("store file", "\(store) has mode \(file.octal), want 0600", fix: "run: chmod 600 \(store)"))
            } else {
                checks.append(.ok("store file", "\(store): \(file.octal), \(owner.label)"))
            }
        } else {
            checks.append(.fail("store file", "\(store): \(DoctorFile.why())", fix: "run: secrets-agent init --store \(store)"))
        }
        return checks
    }

    static func socketChecks(_ socket: String, owner: DoctorOwner) -> [DoctorCheck] {
        let directory = parent(of: socket)
        var checks: [DoctorCheck] = []
        if let dir = DoctorFile(directory) {
            if !dir.isDirectory {
                checks.append(.fail("socket directory", "\(directory) is not a directory", fix: "run: rm \(directory); secrets-agent serve"))
            } else if !owner.owns(dir) {
                checks.append(.fail("socket directory", "\(directory) is owned by uid \(dir.owner), not \(owner.label)", fix: "run: chown \(owner.chownName) \(directory)"))
            } else if dir.mode & 0o022 != 0 {
                checks.append(.fail("socket directory", "\(directory) has mode \(dir.octal): group or others may write", fix: "run: chmod go-w \(directory)"))
            } else {
                checks.append(.ok("socket directory", "\(directory): \(dir.octal), \(owner.label)"))
            }
        } else {
            checks.append(.warn("socket directory", "\(directory): \(DoctorFile.why())", fix: "start the agent: secrets-agent serve --socket \(socket)"))
        }
        if let file = DoctorFile(socket), file.isSocket {
            checks.append(.ok("socket", "\(socket) present"))
        } else {
            checks.append(.warn("socket", "no socket at \(socket)", fix: "start the agent: secrets-agent serve --socket \(socket)"))
        }
        return checks
    }

    /// Mode, owner, and shape (64 hex characters and an optional newline) of a key file,
    /// whose content is never printed.
    static func keyFileCheck(_ path: String, owner: DoctorOwner) -> DoctorCheck {
        let name = "key file"
        guard let file = DoctorFile(path, follow: true) else {
            return .fail(name, "\(path): \(DoctorFile.why())", fix: "check the --key-file path")
        }
        guard file.isRegular else { return .fail(name, "\(path) is not a regular file", fix: "check the --key-file path") }
        if !owner.owns(file) {
            return .fail(name, "\(path) is owned by uid \(file.owner), not \(owner.label)", fix: "run: chown \(owner.chownName) \(path)")
        }
        if file.mode & 0o077 != 0 {
            return .fail(name, "\(path) has mode \(file.octal), want 0600 or 0400", fix: "run: chmod 600 \(path)")
        }
        guard var bytes = DoctorFile.read(path, limit: 200) else {
            return .fail(name, "\(path): cannot read: \(DoctorFile.why())", fix: "run: chmod u+r \(path)")
        }
        defer { for i in bytes.indices { bytes[i] = 0 } }
        var body = bytes[...]
        if body.last == 0x0A { body = body.dropLast() }
        let hex = body.count == 64 && body.allSatisfy { (0x30...0x39).contains($0) || (0x61...0x66).contains($0) || (0x41...0x46).contains($0) }
        guard hex else {
            return .fail(name, "\(path) does not hold 64 hex characters and an optional newline", fix: "restore \(path) from its backup: 64 hex characters, mode 0600")
        }
        return .ok(name, "\(path): \(file.octal), \(owner.label), 64 hex characters")
    }

    /// `$CREDENTIALS_DIRECTORY`, when set: absolute, and no file in it readable by others.
    static func credentialsCheck(_ directory: String?) -> DoctorCheck {
        let name = "credentials directory"
        guard let directory else { return .skip(name, "$CREDENTIALS_DIRECTORY not set") }
        guard directory.hasPrefix("/") else {
            return .fail(name, "$CREDENTIALS_DIRECTORY is not absolute: \(directory)", fix: "set LoadCredential= in the unit instead of setting CREDENTIALS_DIRECTORY by hand")
        }
        guard let dir = opendir(directory) else {
            return .warn(name, "\(directory): \(DoctorFile.why())", fix: "set LoadCredential= in the unit")
        }
        defer { closedir(dir) }
        while let entry = readdir(dir) {
            let entryName = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            if entryName == "." || entryName == ".." { continue }
            let path = directory + "/" + entryName
            if let file = DoctorFile(path, follow: true), file.mode & 0o044 != 0 {
                return .fail(name, "\(path) has mode \(file.octal): group or others may read", fix: "run: chmod 600 \(path)")
            }
        }
        return .ok(name, "\(directory): files readable by their owner only")
    }

    /// The policy file, read as the agent and `policy check` read it.
    static func policyCheck(_ path: String) -> DoctorCheck {
        do {
            let lines = try PolicyReport.check(path)
            if let warning = lines.first(where: { $0.hasPrefix("warning: ") }) {
                return .warn("policy", "\(path): \(warning.dropFirst(9))", fix: "edit \(path), then run: secrets-agent policy check \(path)")
            }
            return .ok("policy", lines.first ?? path)
        } catch {
            return .fail("policy", error.message, fix: "edit \(path), then run: secrets-agent policy check \(path)")
        }
    }

    static let hardening = [
        "NoNewPrivileges=yes", "ProtectSystem=strict", "ProtectHome=yes", "PrivateTmp=yes", "PrivateDevices=yes",
        "MemoryDenyWriteExecute=yes", "LockPersonality=yes", "RestrictAddressFamilies=AF_UNIX", "SystemCallFilter=",
        "LimitCORE=0", "LimitMEMLOCK=", "CapabilityBoundingSet=",
    ]

    /// One warning per hardening directive missing from a systemd unit.
    static func unitChecks(_ path: String) -> [DoctorCheck] {
        guard let bytes = DoctorFile.read(path, limit: 1 << 20) else {
            return [.fail("unit", "\(path): \(DoctorFile.why())", fix: "check the --unit path")]
        }
        let lines = String(decoding: bytes, as: UTF8.self).split(whereSeparator: \.isNewline)
            .map { $0.trimmingPrefix(while: \.isWhitespace) }
            .filter { !$0.hasPrefix("#") && !$0.hasPrefix(";") }
            .map { String($0).replacingOccurrences(of: " ", with: "") }
        var checks: [DoctorCheck] = []
        for directive in hardening {
            let present = lines.contains { line in
                // An empty CapabilityBoundingSet= drops every capability; the others need a value.
                guard directive.hasSuffix("=") else { return line == directive }
                return line.hasPrefix(directive) && (line.count > directive.count || directive == "CapabilityBoundingSet=")
            }
            if !present {
                let example = directive.hasSuffix("=") ? directive + (directive == "SystemCallFilter=" ? "@system-service" : directive == "LimitMEMLOCK=" ? "64M" : "") : directive
                checks.append(.warn("unit", "\(path) lacks \(directive)", fix: "add \(example) under [Service] in \(path), then run: systemctl daemon-reload"))
            }
        }
        if checks.isEmpty { checks.append(.ok("unit", "\(path): all \(hardening.count) hardening directives present")) }
        return checks
    }

    /// Secret-looking files under `root` that group or others can read (at most 10,000
    /// files examined, symlinks not followed).
    static func exposedFileChecks(_ root: String) -> [DoctorCheck] {
        let name = "exposed files"
        guard let top = DoctorFile(root, follow: true), top.isDirectory else {
            return [.fail(name, "\(root): not a directory", fix: "check the --check-path path")]
        }
        var pending = [root], examined = 0, checks: [DoctorCheck] = []
        walk: while let directory = pending.popLast() {
            guard let dir = opendir(directory) else { continue }
            defer { closedir(dir) }
            while let entry = readdir(dir) {
                let entryName = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
                if entryName == "." || entryName == ".." { continue }
                let path = (directory.hasSuffix("/") ? directory : directory + "/") + entryName
                guard let file = DoctorFile(path) else { continue }
                if file.isDirectory { pending.append(path); continue }
                guard file.isRegular else { continue }
                examined += 1
                if examined > 10_000 { break walk }
                if looksSecret(entryName) && file.mode & 0o044 != 0 {
                    checks.append(.fail(name, "\(path) has mode \(file.octal): group or others may read it", fix: "run: chmod 600 \(path)"))
                }
            }
        }
        if examined > 10_000 {
            checks.append(.warn(name, "\(root): stopped after 10000 files", fix: "pass a narrower --check-path"))
        }
        if checks.isEmpty { checks.append(.ok(name, "\(root): no secret-looking file readable by others (\(examined) files)")) }
        return checks
    }

    /// Source and documentation files whose names merely mention secrets (`SecretStore.swift`).
    static let codeExtensions: Set<String> = [
        "swift", "go", "rs", "py", "rb", "js", "ts", "java", "kt", "c", "h", "cc", "cpp", "hpp", "m", "cs", "php",
        "sh", "md", "rst", "txt", "html", "css", "proto", "o", "d", "swiftmodule", "swiftdoc", "swiftdeps",
    ]

    static func looksSecret(_ name: String) -> Bool {
        let lower = name.lowercased()
        if lower.hasSuffix(".key") || lower.hasSuffix(".pem") || lower == ".env" || lower.hasPrefix(".env.") || lower.hasPrefix("credentials") {
            return true
        }
        let mentions = lower.contains("secret") || lower.contains("token") || lower.contains("password")
        let ext = lower.split(separator: ".").count > 1 ? lower.split(separator: ".").last.map(String.init) ?? "" : ""
        return mentions && !codeExtensions.contains(ext)
    }

    static func parent(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }
}
