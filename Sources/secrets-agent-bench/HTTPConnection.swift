#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// The least HTTP/1.1 client that can read from OpenBao: one keep-alive TCP connection to
/// a loopback port, one request at a time, replies framed by Content-Length or chunked
/// encoding. Blocking Glibc socket calls only, so it costs OpenBao's reads no more than
/// the agent's client costs its gets.
final class HTTPConnection {
    /// A reply: status code and body.
    struct Reply {
        let status: Int
        let body: [UInt8]
    }

    private static let maxHeaderBytes = 64 * 1024
    private static let maxBodyBytes = 16 << 20

    let port: UInt16
    private let fd: Int32
    /// Bytes read but not yet consumed.
    private var buffer: [UInt8] = []
    /// Where `read` puts bytes before they join `buffer`.
    private var chunk = [UInt8](repeating: 0, count: 16 * 1024)
    private var closed = false

    /// Connects to 127.0.0.1:`port` with Nagle off and reads that give up after
    /// `timeoutSeconds` (a hung server becomes an error, not a hung benchmark).
    /// - Throws: `.setup` when nothing listens there.
    init(port: UInt16, timeoutSeconds: Int = 30) throws(BenchFailure) {
        self.port = port
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw .setup("cannot create a TCP socket: \(Self.reason())") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else {
            let reason = Self.reason()
            close(fd)
            throw .setup("cannot connect to 127.0.0.1:\(port): \(reason)")
        }
        var on: Int32 = 1
        var timeout = timeval(tv_sec: timeoutSeconds, tv_usec: 0)
        guard setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &on, socklen_t(MemoryLayout<Int32>.size)) == 0,
              setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size)) == 0 else {
            let reason = Self.reason()
            close(fd)
            throw .setup("cannot set the options of a TCP socket: \(reason)")
        }
    }

    deinit { close(fd) }

    /// The bytes of a request: `method path`, Host, `headers`, and Content-Length with `body`.
    static func request(_ method: String, _ path: String, port: UInt16, headers: [(String, String)] = [],
                        body: [UInt8] = []) -> [UInt8] {
        var head = "\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\n"
        for (name, value) in headers { head += "\(name): \(value)\r\n" }
        if !body.isEmpty || method == "POST" || method == "PUT" { head += "Content-Length: \(body.count)\r\n" }
        return Array((head + "\r\n").utf8) + body
    }

    /// Sends a request built by `request(...)` and reads its whole reply.
    /// - Throws: `.setup` when the connection fails, closes, or the reply is not HTTP/1.1.
    func exchange(_ request: [UInt8]) throws(BenchFailure) -> Reply {
        guard !closed else { throw .setup("the server at 127.0.0.1:\(port) closed the keep-alive connection") }
        try writeAll(request)
        let headerEnd = try readUntilHeaderEnd()
        let head = String(decoding: buffer[0..<headerEnd], as: UTF8.self)
        buffer.removeFirst(headerEnd + 4)
        var lines = head.split(separator: "\r\n", omittingEmptySubsequences: false)[...]
        let statusLine = lines.popFirst() ?? ""
        let parts = statusLine.split(separator: " ", maxSplits: 2)
        guard parts.count >= 2, parts[0].hasPrefix("HTTP/1."), let status = Int(parts[1]) else {
            throw .setup("the server at 127.0.0.1:\(port) answered with something other than HTTP/1.1")
        }
        var contentLength: Int?
        var chunked = false
        for line in lines {
            guard let colon = line.firstIndex(of: ":") else { continue }
            let name = line[..<colon].lowercased()
            let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            switch name {
            case "content-length": contentLength = Int(value)
            case "transfer-encoding": chunked = value.lowercased().contains("chunked")
            case "connection": if value.lowercased() == "close" { closed = true }
            default: break
            }
        }
        let body: [UInt8]
        if chunked {
            body = try readChunkedBody()
        } else if let contentLength, contentLength <= Self.maxBodyBytes {
            body = try take(contentLength)
        } else {
            throw .setup("the server at 127.0.0.1:\(port) sent a reply without a usable length")
        }
        return Reply(status: status, body: body)
    }

    private func readChunkedBody() throws(BenchFailure) -> [UInt8] {
        var body: [UInt8] = []
        while true {
            let line = try takeLine()
            let size = line.split(separator: ";").first.flatMap { Int($0.trimmingCharacters(in: .whitespaces), radix: 16) }
            guard let size, body.count + size <= Self.maxBodyBytes else {
                throw .setup("the server at 127.0.0.1:\(port) sent a bad chunk size")
            }
            if size == 0 {
                while try !takeLine().isEmpty {}  // trailers, then the blank line
                return body
            }
            body += try take(size)
            guard try takeLine().isEmpty else { throw .setup("the server at 127.0.0.1:\(port) sent a malformed chunk") }
        }
    }

    /// The offset of the blank line ending the header, reading as needed.
    private func readUntilHeaderEnd() throws(BenchFailure) -> Int {
        var searched = 0
        while true {
            if buffer.count >= 4 {
                for index in max(searched, 0)...(buffer.count - 4)
                where buffer[index] == 13 && buffer[index + 1] == 10 && buffer[index + 2] == 13 && buffer[index + 3] == 10 {
                    return index
                }
                searched = buffer.count - 3
            }
            guard buffer.count < Self.maxHeaderBytes else { throw .setup("the server at 127.0.0.1:\(port) sent a header over 64 KiB") }
            try fill()
        }
    }

    private func takeLine() throws(BenchFailure) -> String {
        while true {
            if let newline = buffer.firstIndex(of: 10) {
                let line = String(decoding: buffer[0..<newline], as: UTF8.self)
                buffer.removeFirst(newline + 1)
                return line.hasSuffix("\r") ? String(line.dropLast()) : line
            }
            try fill()
        }
    }

    private func take(_ count: Int) throws(BenchFailure) -> [UInt8] {
        while buffer.count < count { try fill() }
        let bytes = Array(buffer[0..<count])
        buffer.removeFirst(count)
        return bytes
    }

    private func fill() throws(BenchFailure) {
        while true {
            let got = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if got > 0 {
                buffer += chunk[0..<got]
                return
            }
            if got == 0 { throw .setup("the server at 127.0.0.1:\(port) closed the connection mid-reply") }
            if errno == EINTR { continue }
            if errno == EAGAIN || errno == EWOULDBLOCK {
                throw .setup("the server at 127.0.0.1:\(port) did not answer within the read timeout (is it hung? see its log)")
            }
            throw .setup("lost the server at 127.0.0.1:\(port): \(Self.reason())")
        }
    }

    private func writeAll(_ bytes: [UInt8]) throws(BenchFailure) {
        var done = 0
        while done < bytes.count {
            let put = bytes.withUnsafeBytes { write(fd, $0.baseAddress! + done, $0.count - done) }
            if put >= 0 {
                done += put
            } else if errno != EINTR {
                throw .setup("lost the server at 127.0.0.1:\(port): \(Self.reason())")
            }
        }
    }

    private static func reason() -> String { String(cString: strerror(errno)).lowercased() }
}
