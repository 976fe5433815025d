import Foundation
@testable import SecretsScan

/// Shared inputs for the scan tests: the AWS key the stable rule finds, a private key in
/// PEM form built here (random-looking, not a documentation example), and a stand-in
/// fingerprint (the CLI uses SHA-256; these tests only need a stable function of the bytes).
enum ScanFixtures {
    static let awsKey = "AKIAZ7Q2KXH4LMNP3RTV"
    static let awsRule = "aws-access-key-id"

    /// A PEM block of `lines` base64 lines from a fixed pseudo-random sequence.
    static func pem(lines: Int = 25, seed: UInt64 = 0x9E37_79B9_7F4A_7C15) -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")
        var state = seed
        var body: [String] = []
        for _ in 0..<lines {
            var line = ""
            for _ in 0..<64 {
                state = state &* 6364136223846793005 &+ 1442695040888963407
                line.append(alphabet[Int(state >> 58)])
            }
            body.append(line)
        }
        body[body.count - 1] = String(body[body.count - 1].prefix(40)) + "=="
        return "-----BEGIN RSA PRIVATE KEY-----\n" + body.joined(separator: "\n") + "\n-----END RSA PRIVATE KEY-----\n"
    }

    /// A stable stand-in for SHA-256 (FNV-1a, 64-bit, as hex).
    static func fingerprint(_ bytes: UnsafeRawBufferPointer) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        return String(hash, radix: 16)
    }

    /// Every occurrence of `needle` in `haystack`.
    static func count(_ needle: [UInt8], in haystack: [UInt8]) -> Int {
        guard !needle.isEmpty, haystack.count >= needle.count else { return 0 }
        var found = 0
        var i = 0
        while i <= haystack.count - needle.count {
            if haystack[i] == needle[0] && haystack[i..<(i + needle.count)].elementsEqual(needle) {
                found += 1
                i += needle.count
            } else {
                i += 1
            }
        }
        return found
    }

    /// Runs `engine` over `chunks`; returns the output and the findings.
    static func run(_ engine: StreamScan, _ chunks: [ArraySlice<UInt8>]) -> (output: [UInt8], findings: [Finding]) {
        var engine = engine
        var output: [UInt8] = []
        var findings: [Finding] = []
        for chunk in chunks {
            chunk.withUnsafeBytes { engine.feed($0, output: &output) { finding, _ in findings.append(finding) } }
        }
        engine.finish(output: &output) { finding, _ in findings.append(finding) }
        return (output, findings)
    }

    /// A fresh temporary directory.
    static func temporaryDirectory() throws -> String {
        var template = Array("/tmp/secrets-scan-test.XXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else { throw CocoaError(.fileWriteUnknown) }
        return String(cString: made)
    }

    static func write(_ path: String, _ bytes: [UInt8]) throws {
        let url = URL(fileURLWithPath: path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(bytes).write(to: url)
    }
}
