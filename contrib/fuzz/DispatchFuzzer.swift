// libFuzzer target `dispatch`: the agent's real RequestDispatcher (through
// `SecretsAgentKit.FuzzDispatch`) on a fresh store for every input. The input is what a
// client sends after Hello: frames (4-byte big-endian length, then a Request), read until
// the first one that is not a well-formed frame or Request, as the agent would.
// Build and run with contrib/scripts/fuzz.sh dispatch.
//
// Checks, for every request:
// - the response is a Response with the request's id and a result, fits one frame, and
//   an error in it is not INTERNAL (an unexpected failure) and carries a message without
//   control characters, at most 4 KiB long (messages echo names, never raw bytes);
// - a Get that succeeds returns the value (or its mask) that a Put of this input stored
//   under that name, environment and version.
//
// Requests that would add a passphrase keyslot are skipped: Argon2id at the agent's
// parameters costs about a second each, which would swamp the search. Unlock with
// KEY_FILE and the key below succeeds (the seed corpus uses it).
#if canImport(Glibc)
import Glibc
#endif
import Foundation
import SecretsAgentKit
import SecretsCore
import SecretsCrypto
import SecretsProtocol
import SwiftProtobuf

/// The key file of every fuzz store: 32 bytes 00 01 ... 1f, in hex.
private let keyFileHex = (0..<32).map { String(format: "%02x", $0) }.joined()

/// One directory for this process's stores: under `$SECRETS_AGENT_FUZZ_STORES` (fuzz.sh
/// sets it and removes it afterwards), else /dev/shm when writable (SQLite's fsyncs cost
/// nothing on tmpfs), else `$TMPDIR` or /tmp.
private let baseDirectory: String = {
    let environment = ProcessInfo.processInfo.environment
    let parent = environment["SECRETS_AGENT_FUZZ_STORES"]
        ?? (access("/dev/shm", W_OK) == 0 ? "/dev/shm" : (environment["TMPDIR"] ?? "/tmp"))
    var template = Array("\(parent)/dispatch.XXXXXX".utf8CString)
    guard let made = mkdtemp(&template) else { fatalError("mkdtemp under \(parent): errno \(errno)") }
    cleanupDirectory = String(cString: made)
    atexit { removeTree(cleanupDirectory) }
    return cleanupDirectory
}()
nonisolated(unsafe) private var cleanupDirectory = ""
nonisolated(unsafe) private var inputCount = 0

private struct Slot: Hashable {
    let name: String
    let environment: String
}

@_cdecl("LLVMFuzzerTestOneInput")
public func dispatchFuzzerTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let input = size == 0 ? [] : Array(UnsafeBufferPointer(start: data!, count: size))
    inputCount += 1
    let directory = "\(baseDirectory)/\(inputCount)"
    let handle: FuzzDispatch.Handle
    do throws(SecretsError) {
        handle = try FuzzDispatch.makeDispatcher(storeDirectory: directory, keyFile: SecureBytes(copying: Array(keyFileHex.utf8)))
    } catch {
        fatalError("cannot make the fuzz store in \(directory): \(error.message)")
    }
    defer {
        handle.close()
        removeTree(directory)
    }
    var stored: [Slot: [UInt64: Data]] = [:]
    var pos = 0
    while input.count - pos >= 4 {
        guard let length = try? FrameCodec.bodyLength(header: input[pos], input[pos + 1], input[pos + 2], input[pos + 3]),
              input.count - pos - 4 >= length else { break }
        let body = Array(input[(pos + 4)..<(pos + 4 + length)])
        pos += 4 + length
        guard let request = try? SecretsAgent_V1_Request(serializedBytes: body) else { break }
        if isExpensive(request) { continue }
        let responseBytes: [UInt8]?
        do {
            responseBytes = try handle.handle(body)
        } catch {
            fatalError("the response to \(describe(request)) cannot be serialized: \(error)")
        }
        guard let responseBytes else { fatalError("FuzzDispatch refused a body that decodes as a Request") }
        check(request, responseBytes, &stored)
    }
    return 0
}

private func check(_ request: SecretsAgent_V1_Request, _ responseBytes: [UInt8], _ stored: inout [Slot: [UInt64: Data]]) {
    guard (try? FrameCodec.frame(responseBytes)) != nil else {
        fatalError("the response to \(describe(request)) is \(responseBytes.count) bytes, which no frame can carry")
    }
    guard let response = try? SecretsAgent_V1_Response(serializedBytes: responseBytes) else {
        fatalError("the response to \(describe(request)) does not decode")
    }
    precondition(response.requestID == request.requestID, "response id \(response.requestID) for request \(request.requestID)")
    guard let result = response.result else { fatalError("the response to \(describe(request)) has no result") }
    switch (request.op, result) {
    case (_, .error(let error)):
        precondition(error.code != .internal, "INTERNAL error for \(describe(request)): \(error.message)")
        precondition(error.message.utf8.count <= 4096, "\(error.message.utf8.count)-byte error message for \(describe(request))")
        precondition(!error.message.unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x7F },
                     "control character in the error message for \(describe(request)): \(error.message.debugDescription)")
    case (.put(let put)?, .put(let reply)):
        stored[Slot(name: put.name, environment: put.environment), default: [:]][reply.version] = put.value
    case (.delete(let delete)?, .delete):
        stored[Slot(name: delete.name, environment: delete.environment)] = nil
    case (.get(let get)?, .get(let reply)):
        precondition(reply.name == get.name && reply.environment == get.environment && reply.masked == get.masked,
                     "get reply names \(reply.name) in \(reply.environment) for \(describe(request))")
        precondition(get.version == 0 || reply.version == get.version, "get of version \(get.version) gave \(reply.version)")
        if let value = stored[Slot(name: get.name, environment: get.environment)]?[reply.version] {
            let want = get.masked ? Data(Masking.mask(value).utf8) : value
            precondition(reply.value == want, "get of \(get.name) in \(get.environment) version \(reply.version) returned other bytes than were put")
        }
    default:
        break
    }
}

/// Adding a passphrase keyslot runs Argon2id; unlocking with a passphrase does only once
/// such a slot exists, so it is kept.
private func isExpensive(_ request: SecretsAgent_V1_Request) -> Bool {
    if case .unlock = request.op { return false }
    return request.textFormatString().contains("PASSPHRASE")
}

private func describe(_ request: SecretsAgent_V1_Request) -> String {
    String(request.textFormatString().replacingOccurrences(of: "\n", with: " ").prefix(300))
}

private func removeTree(_ path: String) {
    guard !path.isEmpty else { return }
    try? FileManager.default.removeItem(atPath: path)
}
