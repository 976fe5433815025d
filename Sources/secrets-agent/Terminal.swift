#if canImport(Glibc)
import Glibc
#endif
import SecretsCore
import SecretsCrypto

/// Output and the tty: raw writes to stdout, one-line messages to stderr, and a passphrase
/// prompt without echo.
enum Terminal {
    static func printError(_ line: String) {
        write(fd: 2, Array((line + "\n").utf8))
    }

    /// Prints a line on stdout.
    static func print(_ line: String) {
        write(fd: 1, Array((line + "\n").utf8))
    }

    /// Writes bytes to stdout exactly (no newline added).
    static func writeStdout(_ bytes: UnsafeRawBufferPointer) {
        write(fd: 1, bytes)
    }

    static func write(fd: Int32, _ bytes: [UInt8]) {
        bytes.withUnsafeBytes { write(fd: fd, $0) }
    }

    static func write(fd: Int32, _ raw: UnsafeRawBufferPointer) {
        var offset = 0
        while offset < raw.count {
            let n = Glibc.write(fd, raw.baseAddress! + offset, raw.count - offset)
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { return }
            offset += n
        }
    }

    /// Reads a passphrase from /dev/tty with echo off.
    /// - Throws: `.invalidArgument` when there is no terminal.
    static func promptPassphrase(_ prompt: String) throws(SecretsError) -> SecureBytes {
        let tty = open("/dev/tty", O_RDWR | O_CLOEXEC)
        guard tty >= 0 else {
            throw .invalidArgument("no terminal to ask for a passphrase (use --passphrase-file F or --key-file F)")
        }
        defer { close(tty) }
        var saved = termios()
        tcgetattr(tty, &saved)
        var silent = saved
        silent.c_lflag &= ~tcflag_t(ECHO)
        tcsetattr(tty, TCSAFLUSH, &silent)
        defer {
            tcsetattr(tty, TCSAFLUSH, &saved)
            write(fd: tty, Array("\n".utf8))
        }
        write(fd: tty, Array(prompt.utf8))
        let buffer = SecureBytes(count: 1024)
        let length = buffer.withUnsafeMutableBytes { raw -> Int in
            var count = 0
            var byte: UInt8 = 0
            while count < raw.count, read(tty, &byte, 1) == 1, byte != 0x0A {
                raw[count] = byte
                count += 1
            }
            byte = 0
            return count
        }
        guard length > 0 else { throw .invalidArgument("empty passphrase") }
        return buffer.withUnsafeBytes { SecureBytes(copying: UnsafeRawBufferPointer(rebasing: $0[0..<length])) }
    }
}
