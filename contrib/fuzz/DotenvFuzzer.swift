// libFuzzer target `dotenv`: `DotenvParser.parse` (and `JSONSecretsParser.parse`) on
// arbitrary bytes, as `secrets-agent import` reads a file.
//
// Checks:
// - a rejection is `.invalidArgument("line N: ...")` with N inside the text, at most 4 KiB
//   and without control characters;
// - an accepted file's keys are non-empty, made of key bytes and distinct; lines rise and
//   lie inside the text; value ranges follow each other inside the output buffer, which
//   is never written past the input's length;
// - the entries written back with `DotenvWriter` parse to the same keys and values;
// - the same bytes read as JSON: a rejection has the same shape; an accepted object's
//   UTF-8 values written back with `JSONSecretsWriter` parse to the same entries.
import SecretsCore

@_cdecl("LLVMFuzzerTestOneInput")
public func dotenvFuzzerTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let bytes = size == 0 ? [] : Array(UnsafeBufferPointer(start: data!, count: size))
    checkDotenv(bytes)
    checkJSON(bytes)
    return 0
}

private func lineCount(_ bytes: [UInt8]) -> Int { bytes.filter { $0 == 0x0A }.count + 1 }

private func checkRejection(_ error: SecretsError, _ bytes: [UInt8]) {
    precondition(error.code == .invalidArgument, "refused with code \(error.code)")
    let message = error.message
    precondition(message.utf8.count <= 4096, "\(message.utf8.count)-byte message")
    precondition(!message.unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x7F },
                 "control character in \(message.debugDescription)")
    precondition(message.hasPrefix("line "), "malformed message \(message.debugDescription)")
    let number = message.dropFirst(5).prefix { $0.isNumber }
    guard let line = Int(number), message.dropFirst(5 + number.count).hasPrefix(": ") else {
        preconditionFailure("malformed message \(message.debugDescription)")
    }
    precondition(line >= 1 && line <= lineCount(bytes), "line \(line) outside the text")
}

/// Parses into a buffer with a guard zone, so a write past the input's length shows.
private func parse(_ bytes: [UInt8], json: Bool) -> Result<[(key: String, line: Int, value: [UInt8])], SecretsError> {
    var output = [UInt8](repeating: 0xA5, count: bytes.count + 64)
    let result = bytes.withUnsafeBytes { input in
        output.withUnsafeMutableBytes { out in
            Result { () throws(SecretsError) in
                let bounded = UnsafeMutableRawBufferPointer(rebasing: out[0..<bytes.count])
                return json ? try JSONSecretsParser.parse(input, into: bounded) : try DotenvParser.parse(input, into: bounded)
            }
        }
    }
    precondition(output[bytes.count...].allSatisfy { $0 == 0xA5 }, "wrote past the output buffer")
    return result.map { entries in
        var end = 0
        for entry in entries {
            precondition(entry.value.lowerBound >= end && entry.value.upperBound <= bytes.count, "value ranges overlap or escape")
            end = entry.value.upperBound
        }
        return entries.map { ($0.key, $0.line, Array(output[$0.value])) }
    }
}

private func checkDotenv(_ bytes: [UInt8]) {
    switch parse(bytes, json: false) {
    case .failure(let error):
        checkRejection(error, bytes)
    case .success(let entries):
        var lastLine = 0
        var keys = Set<String>()
        for entry in entries {
            precondition(!entry.key.isEmpty && entry.key.utf8.allSatisfy(isKeyByte), "bad key \(entry.key.debugDescription)")
            precondition(keys.insert(entry.key).inserted, "duplicate key \(entry.key)")
            precondition(entry.line > lastLine && entry.line <= lineCount(bytes), "line \(entry.line) out of order")
            lastLine = entry.line
        }
        var written: [UInt8] = []
        for entry in entries {
            entry.value.withUnsafeBytes { raw in DotenvWriter.write(key: entry.key, value: raw) { written += $0 } }
        }
        guard case .success(let again) = parse(written, json: false) else { preconditionFailure("written entries do not parse") }
        precondition(again.map(\.key) == entries.map(\.key) && again.map(\.value) == entries.map(\.value),
                     "written entries parse to something else")
    }
}

private func checkJSON(_ bytes: [UInt8]) {
    switch parse(bytes, json: true) {
    case .failure(let error):
        checkRejection(error, bytes)
    case .success(let entries):
        let text = entries.filter { (try? String(validating: $0.value, as: UTF8.self)) != nil }
        var writer = JSONSecretsWriter()
        var written: [UInt8] = []
        writer.begin { written += $0 }
        for entry in text {
            let result = entry.value.withUnsafeBytes { raw in
                Result { () throws(SecretsError) in try writer.write(key: entry.key, value: raw) { written += $0 } }
            }
            if case .failure(let error) = result { preconditionFailure("refused UTF-8 text: \(error.message)") }
        }
        writer.end { written += $0 }
        guard case .success(let again) = parse(written, json: true) else { preconditionFailure("written JSON does not parse") }
        precondition(again.map(\.key) == text.map(\.key) && again.map(\.value) == text.map(\.value),
                     "written JSON parses to something else")
    }
}

/// `A-Z a-z 0-9 _ . / -`, written from the grammar in DotenvParser.swift.
private func isKeyByte(_ b: UInt8) -> Bool {
    (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || (b >= 0x30 && b <= 0x39) || b == 0x5F || b == 0x2E || b == 0x2F || b == 0x2D
}
