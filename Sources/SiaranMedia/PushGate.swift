import Foundation
import SiaranCore
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// The front door of an RTMP or RTSP listen (`record rtmp://HOST:PORT/APP/KEY --listen`; for RTSP,
/// what libav's listener would refuse is written as it takes it: see `RTSPPushReader`).
///
/// libav 5.1's RTMP server accepts a push to any application and stream key (rtmpproto.c only logs
/// "App field don't match up" and "Unexpected stream … expecting …", then records). So the listened
/// address is the gate's: it reads what each client sends — handshake, chunk stream, commands — and
/// passes it on to libav, listening on an inner loopback port, only once it is harmless; the
/// `connect`'s application and the `publish`'s stream name are compared with the listened ones
/// before libav sees them. A wrong one closes the connection: libav never reaches its publishing
/// state, so not a packet is read, and the open that was waiting fails and is counted as refused.
/// After an accepted `publish` the connection is relayed byte for byte. A client that connects and
/// sends nothing, or something else than RTMP, never reaches libav; one that does not publish within
/// 15 s is dropped. One gate per listened address for the life of the process (the recorder
/// re-listens after every drop; the door stays open meanwhile).
final class PushGate: Sendable {
    /// The address libav listens on instead: the listened one's path on an inner loopback port.
    let innerURL: String
    private let listener: Int32
    private let innerPort: UInt16
    /// A new check for each client (RTMP: its key; RTSP: what libav's listener takes).
    private let makeCheck: @Sendable () -> any PushCheck
    private let refused = Mutex<(count: Int, reason: String)>((0, ""))

    /// How long a client may take from connecting to naming its stream.
    static let checkTime: Double = 15

    private static let gates = Mutex<[String: PushGate]>([:])

    /// The gate for `url`, opened on first use; nil when `url` is not an `rtmp://HOST:PORT/APP/KEY` address.
    /// An `rtsp://HOST:PORT/PATH` address gets a gate too (see `RTSPPushReader`).
    static func gate(for url: String) throws(MediaError) -> PushGate? {
        let lower = url.lowercased()
        let rtmp = lower.hasPrefix("rtmp://") ? RTMPPushReader(listeningURL: url) : nil
        guard rtmp != nil || lower.hasPrefix("rtsp://") else { return nil }
        let result: Result<PushGate, MediaError> = gates.withLock { open in
            if let existing = open[url] { return .success(existing) }
            do throws(MediaError) {
                let made = try PushGate(url: url, rtmp: rtmp.map { ($0.application, $0.key) })
                open[url] = made
                return .success(made)
            } catch { return .failure(error) }
        }
        return try result.get()
    }

    /// How many clients were refused so far, and why the last one was.
    var refusals: (count: Int, reason: String) { refused.withLock { $0 } }

    private init(url: String, rtmp: (application: String, key: String)?) throws(MediaError) {
        let display = Redaction.redact(url)
        let afterScheme = url[url.range(of: "://")!.upperBound...]
        let authority = afterScheme.prefix { $0 != "/" }
        let path = afterScheme.dropFirst(authority.count)
        var host = String(authority), port = rtmp == nil ? "554" : "1935"
        if let colon = authority.lastIndex(of: ":"), !authority.hasSuffix("]") {
            host = String(authority[..<colon])
            port = String(authority[authority.index(after: colon)...])
        }
        host = host.trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
        listener = try Self.listen(host: host, port: port, display: display)
        guard let inner = Self.freeLoopbackPort() else {
            close(listener)
            throw .cannotOpen(source: display, reason: "no free loopback port for the stream-key check")
        }
        innerPort = inner
        let scheme = rtmp == nil ? "rtsp" : "rtmp"
        innerURL = "\(scheme)://127.0.0.1:\(inner)" + path
        if let rtmp {
            makeCheck = { RTMPPushReader(application: rtmp.application, key: rtmp.key) }
        } else {
            makeCheck = { RTSPPushReader(innerAuthority: "rtsp://127.0.0.1:\(inner)") }
        }
        Thread.detachNewThread { [self] in acceptLoop() }
    }

    private static func listen(host: String, port: String, display: String) throws(MediaError) -> Int32 {
        var hints = addrinfo()
        hints.ai_flags = AI_PASSIVE
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var found: UnsafeMutablePointer<addrinfo>?
        let lookup = getaddrinfo(host.isEmpty ? nil : host, port, &hints, &found)
        guard lookup == 0, let address = found else {
            throw .cannotOpen(source: display, reason: "cannot listen there: \(String(cString: gai_strerror(lookup)))")
        }
        defer { freeaddrinfo(found) }
        let fd = socket(address.pointee.ai_family, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        var on: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, socklen_t(MemoryLayout<Int32>.size))
        guard fd >= 0, bind(fd, address.pointee.ai_addr, address.pointee.ai_addrlen) == 0, Glibc.listen(fd, 8) == 0 else {
            let reason = String(cString: strerror(errno))
            if fd >= 0 { close(fd) }
            throw .cannotOpen(source: display, reason: reason)
        }
        return fd
    }

    /// A loopback port nobody listens on now (libav binds it for each open).
    private static func freeLoopbackPort() -> UInt16? {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var address = loopback(port: 0)
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
        }
        return bound ? UInt16(bigEndian: address.sin_port) : nil
    }

    private static func loopback(port: UInt16) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return address
    }

    private func acceptLoop() {
        while true {
            let client = accept(listener, nil, nil)
            if client < 0 {
                if errno != EINTR { usleep(100_000) }
                continue
            }
            _ = fcntl(client, F_SETFD, FD_CLOEXEC)
            var on: Int32 = 1
            setsockopt(client, Int32(IPPROTO_TCP), TCP_NODELAY, &on, socklen_t(MemoryLayout<Int32>.size))
            serve(client)
            close(client)
        }
    }

    /// Checks one client, then relays it to libav until either side ends.
    private func serve(_ client: Int32) {
        var reader = makeCheck()
        var inner: Int32 = -1
        defer { if inner >= 0 { close(inner) } }
        var checking = true
        let deadline = Date().addingTimeInterval(Self.checkTime)
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            var fds = [pollfd(fd: client, events: Int16(POLLIN), revents: 0), pollfd(fd: inner, events: Int16(POLLIN), revents: 0)]
            let wait = checking ? Int32(max(0, deadline.timeIntervalSinceNow) * 1000) : -1
            let ready = poll(&fds, nfds_t(inner >= 0 ? 2 : 1), wait)
            if ready < 0 { if errno == EINTR { continue }; return }
            if ready == 0 { return }  // no publish in time
            if inner >= 0, fds[1].revents != 0 {
                let count = read(inner, &buffer, buffer.count)
                if count <= 0 { return }
                let answer = reader.reply(Array(buffer[0..<count]))
                if !Self.writeAll(client, answer, answer.count) { return }
            }
            guard fds[0].revents != 0 else { continue }
            let count = read(client, &buffer, buffer.count)
            if count <= 0 { return }
            if !checking {
                if !Self.writeAll(inner, buffer, count) { return }
                continue
            }
            let passOn: [UInt8]
            switch reader.feed(Array(buffer[0..<count])) {
            case let .refused(reason):
                // Counted before libav's connection closes, so the open it ends finds the count raised.
                if inner >= 0 { refused.withLock { $0 = ($0.count + 1, reason) } }
                return
            case let .forward(bytes): passOn = bytes
            case let .accepted(bytes): passOn = bytes; checking = false
            }
            if inner < 0, !passOn.isEmpty {
                inner = connectInner()
                if inner < 0 { return }
            }
            if !passOn.isEmpty, !Self.writeAll(inner, passOn, passOn.count) { return }
        }
    }

    /// Connects to libav's listening socket (it may be between two opens: tried for a few seconds).
    private func connectInner() -> Int32 {
        for _ in 0..<50 {
            let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
            guard fd >= 0 else { return -1 }
            var address = Self.loopback(port: innerPort)
            let connected = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
            }
            if connected {
                var on: Int32 = 1
                setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &on, socklen_t(MemoryLayout<Int32>.size))
                return fd
            }
            close(fd)
            usleep(100_000)
        }
        return -1
    }

    private static func writeAll(_ fd: Int32, _ bytes: [UInt8], _ count: Int) -> Bool {
        var done = 0
        while done < count {
            let written = bytes.withUnsafeBytes { send(fd, $0.baseAddress! + done, count - done, Int32(MSG_NOSIGNAL)) }
            if written < 0, errno == EINTR { continue }
            if written <= 0 { return false }
            done += written
        }
        return true
    }
}
