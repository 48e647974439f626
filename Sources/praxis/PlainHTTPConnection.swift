import Foundation

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif
#if canImport(Glibc)
    import Glibc
#endif

/// One keep-alive HTTP/1.1 connection over a blocking socket, for benchmark clients that must
/// leave the machine's cores to the server they measure. On Linux, `URLSession` spent most of a
/// core on dispatch sources and thread switches while pushing batches (about 40 ms of kernel time
/// per request), on the two cores the server under test shares with it.
///
/// Plain `http` only; answers with `Content-Length` or chunked bodies.
final class PlainHTTPConnection {
    private let socket: Int32
    private let hostHeader: String
    /// Bytes received past the end of the last answer.
    private var pending: [UInt8] = []

    /// Connects to the host and port of `url` (seconds: the longest a send or a receive may wait).
    init(to url: URL, timeout seconds: Int = 120) throws {
        guard url.scheme == "http", let host = url.host else {
            throw CLIFailure("'\(url.absoluteString)': the benchmark client speaks plain http only")
        }
        let port = url.port ?? 80
        hostHeader = "\(host):\(port)"
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var found: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, String(port), &hints, &found) == 0, let address = found else {
            throw CLIFailure("cannot resolve \(host)")
        }
        defer { freeaddrinfo(found) }
        socket = Glibc.socket(address.pointee.ai_family, address.pointee.ai_socktype, address.pointee.ai_protocol)
        guard socket >= 0 else { throw CLIFailure("cannot open a socket: \(String(cString: strerror(errno)))") }
        guard connect(socket, address.pointee.ai_addr, address.pointee.ai_addrlen) == 0 else {
            let reason = String(cString: strerror(errno))
            close(socket)
            throw CLIFailure("cannot connect to \(hostHeader): \(reason)")
        }
        var on: Int32 = 1
        setsockopt(socket, Int32(IPPROTO_TCP), TCP_NODELAY, &on, socklen_t(MemoryLayout<Int32>.size))
        var limit = timeval(tv_sec: seconds, tv_usec: 0)
        setsockopt(socket, SOL_SOCKET, SO_RCVTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(socket, SOL_SOCKET, SO_SNDTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))
    }

    deinit { close(socket) }

    /// Sends `request` (its method, path and query, headers and body) and returns the answer's
    /// status and body.
    func send(_ request: URLRequest) throws -> (status: Int, body: [UInt8]) {
        guard let url = request.url else { throw CLIFailure("a request without a URL") }
        let body = request.httpBody.map(Array.init) ?? []
        var target = url.path.isEmpty ? "/" : url.path
        if let query = url.query { target += "?" + query }
        var head = "\(request.httpMethod ?? "GET") \(target) HTTP/1.1\r\nHost: \(hostHeader)\r\n"
        for (name, value) in request.allHTTPHeaderFields ?? [:] { head += "\(name): \(value)\r\n" }
        head += "Content-Length: \(body.count)\r\n\r\n"
        try write(Array(head.utf8) + body)
        return try readAnswer()
    }

    private func write(_ bytes: [UInt8]) throws {
        var sent = 0
        while sent < bytes.count {
            let count = bytes[sent...].withUnsafeBytes { Glibc.send(socket, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { throw CLIFailure("sending to \(hostHeader) failed: \(String(cString: strerror(errno)))") }
            sent += count
        }
    }

    /// Receives more bytes into `pending`.
    private func receive() throws {
        var chunk = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = chunk.withUnsafeMutableBytes { recv(socket, $0.baseAddress, $0.count, 0) }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else {
                throw CLIFailure(
                    count == 0
                        ? "\(hostHeader) closed the connection"
                        : "receiving from \(hostHeader) failed: \(String(cString: strerror(errno)))"
                )
            }
            pending += chunk[0..<count]
            return
        }
    }

    /// The index just past the first CRLF at or after `start` in `pending`, reading more as needed.
    private func line(from start: Int) throws -> (text: String, next: Int) {
        while true {
            if pending.count >= start + 2 {
                for index in start..<(pending.count - 1) where pending[index] == 13 && pending[index + 1] == 10 {
                    return (String(decoding: pending[start..<index], as: UTF8.self), index + 2)
                }
            }
            try receive()
        }
    }

    private func readAnswer() throws -> (status: Int, body: [UInt8]) {
        let (statusLine, afterStatus) = try line(from: 0)
        var next = afterStatus
        let parts = statusLine.split(separator: " ")
        guard parts.count >= 2, parts[0].hasPrefix("HTTP/1."), let status = Int(parts[1]) else {
            throw CLIFailure("\(hostHeader) answered something other than HTTP/1.1: \(statusLine.prefix(100))")
        }
        var length: Int?
        var chunked = false
        while true {
            let header: String
            (header, next) = try line(from: next)
            if header.isEmpty { break }
            let pair = header.split(separator: ":", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
            guard pair.count == 2 else { continue }
            if pair[0] == "content-length" { length = Int(pair[1]) }
            if pair[0] == "transfer-encoding" { chunked = pair[1].contains("chunked") }
        }
        var body: [UInt8] = []
        if chunked {
            while true {
                let size: String
                (size, next) = try line(from: next)
                guard let count = size.split(separator: ";").first.flatMap({ Int($0, radix: 16) }), count >= 0 else {
                    throw CLIFailure("\(hostHeader) sent a malformed chunk size: \(size.prefix(20))")
                }
                while pending.count < next + count + 2 { try receive() }
                body += pending[next..<(next + count)]
                next += count + 2
                if count == 0 { break }
            }
        } else {
            let count = length ?? 0
            guard count >= 0 else { throw CLIFailure("\(hostHeader) sent a negative Content-Length") }
            while pending.count < next + count { try receive() }
            body = Array(pending[next..<(next + count)])
            next += count
        }
        pending.removeFirst(next)
        return (status, body)
    }
}
