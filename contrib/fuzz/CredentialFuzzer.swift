// libFuzzer target `credential`: `CredentialRequest`, the parser of the abstract address a
// `LoadCredential=` client (systemd) binds before it connects to the credential socket,
// and of the systemd-escaped credential ID in it. Build and run with
// contrib/scripts/fuzz.sh credential.
//
// The input is tried as the peer's address bytes (as getpeername reports sun_path) and as a
// credential ID. Checks:
// - the parser accepts exactly what a reference written from systemd's bind name
//   (`\0<PRIx64>/unit/<unit>/<ID>`), `unit_name_is_valid` (less templates) and
//   systemd-escape accepts, and finds the same unit, ID and secret;
// - a rejection is `.invalidArgument` with a message of at most 4 KiB without control
//   characters;
// - escaping the secret it names gives an ID that unescapes to the same secret.
import SecretsCore

@_cdecl("LLVMFuzzerTestOneInput")
public func credentialFuzzerTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let bytes = size == 0 ? [] : Array(UnsafeBufferPointer(start: data!, count: size))
    checkAddress(bytes)
    checkAddress([0] + bytes)  // most inputs should reach the parts after the NUL
    checkID(String(decoding: bytes, as: UTF8.self))
    return 0
}

private func checkAddress(_ bytes: [UInt8]) {
    let expected = referenceParse(bytes)
    do throws(SecretsError) {
        let request = try CredentialRequest(peerAddress: bytes)
        guard let expected else { preconditionFailure("accepted \(bytes), which the reference refuses") }
        precondition(request.unit.rawValue == expected.unit && request.credentialID == expected.id
                     && request.secret.rawValue == expected.secret, "parsed \(bytes) differently from the reference")
        checkRoundTrip(request.secret)
    } catch {
        precondition(expected == nil, "refused \(bytes), which the reference accepts: \(error.message)")
        checkRejection(error)
    }
}

private func checkID(_ id: String) {
    let expected = referenceUnescape(Array(id.utf8))
    do throws(SecretsError) {
        let secret = try CredentialRequest.secretName(credentialID: id)
        precondition(secret.rawValue == expected, "unescaped \(id.debugDescription) to \(secret), the reference to \(expected ?? "nothing")")
        checkRoundTrip(secret)
    } catch {
        precondition(expected == nil, "refused ID \(id.debugDescription), which the reference accepts: \(error.message)")
        checkRejection(error)
    }
}

private func checkRoundTrip(_ secret: SecretName) {
    let id = CredentialRequest.credentialID(for: secret)
    precondition(!id.contains("/"), "the ID of \(secret) has a '/'")
    precondition((try? CredentialRequest.secretName(credentialID: id)) == secret, "the ID of \(secret) does not name it")
}

private func checkRejection(_ error: SecretsError) {
    precondition(error.code == .invalidArgument, "refused with code \(error.code)")
    precondition(error.message.utf8.count <= 4096, "\(error.message.utf8.count)-byte message")
    precondition(!error.message.unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x7F },
                 "control character in \(error.message.debugDescription)")
}

// MARK: - References

private func referenceParse(_ bytes: [UInt8]) -> (unit: String, id: String, secret: String)? {
    guard bytes.first == 0, bytes.count <= 108 else { return nil }
    let parts = bytes.dropFirst().split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: false).map(Array.init)
    guard parts.count == 4, parts[1] == Array("unit".utf8) else { return nil }
    guard (1...16).contains(parts[0].count), parts[0].allSatisfy({ (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }) else {
        return nil
    }
    guard isUnitName(parts[2]), parts[3].allSatisfy({ (0x20..<0x7F).contains($0) }) else { return nil }
    guard let secret = referenceUnescape(parts[3]) else { return nil }
    return (String(decoding: parts[2], as: UTF8.self), String(decoding: parts[3], as: UTF8.self), secret)
}

/// systemd's `unit_name_is_valid` for plain and instance names.
private func isUnitName(_ b: [UInt8]) -> Bool {
    let types = ["service", "socket", "target", "device", "mount", "automount", "swap", "timer", "path", "slice", "scope"]
    guard (1...255).contains(b.count), let dot = b.lastIndex(of: UInt8(ascii: ".")), dot > 0 else { return false }
    guard types.contains(String(decoding: b[(dot + 1)...], as: UTF8.self)) else { return false }
    let allowed = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789:_.\\@-".utf8)
    guard b.allSatisfy(allowed.contains) else { return false }
    guard let at = b[..<dot].firstIndex(of: UInt8(ascii: "@")) else { return true }
    return at > 0 && at + 1 < dot
}

/// `\xNN` → byte, `-` → `/`, else itself; then the secret-name rule of DESIGN §5.
private func referenceUnescape(_ id: [UInt8]) -> String? {
    var out: [UInt8] = []
    var i = 0
    while i < id.count {
        if id[i] == UInt8(ascii: "\\") {
            guard i + 3 < id.count, id[i + 1] == UInt8(ascii: "x"),
                  let value = UInt8(String(decoding: id[(i + 2)...(i + 3)], as: UTF8.self), radix: 16),
                  id[(i + 2)...(i + 3)].allSatisfy({ UInt8(ascii: "+") != $0 && UInt8(ascii: "-") != $0 }) else { return nil }
            out.append(value)
            i += 4
        } else {
            out.append(id[i] == UInt8(ascii: "-") ? UInt8(ascii: "/") : id[i])
            i += 1
        }
    }
    guard (1...255).contains(out.count) else { return nil }
    let word = { (b: UInt8) in (0x41...0x5A).contains(b) || (0x61...0x7A).contains(b) || (0x30...0x39).contains(b) || b == 0x5F }
    guard word(out[0]), out.allSatisfy({ word($0) || $0 == 0x2E || $0 == 0x2F || $0 == 0x2D }) else { return nil }
    guard !out.split(separator: 0x2F, omittingEmptySubsequences: false).contains(where: { $0.elementsEqual([0x2E, 0x2E]) }) else {
        return nil
    }
    return String(decoding: out, as: UTF8.self)
}
