import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Whether the web companion can listen where it was asked, checked before any URL is printed.
enum ListenCheck {
    /// Binds a socket to `host`:`port` and lets it go again; throws a `CommandFailure` naming the
    /// port and `--listen` when the port is taken (or the address is not this machine's). Port 0
    /// (any free port) is not checked. `SO_REUSEADDR` as the server sets it, so a port left in
    /// TIME_WAIT by a server that just stopped is not reported as taken.
    static func ensureFree(host: String, port: Int, option: String = "--listen") throws {
        guard port != 0 else { return }
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV
        var list: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, String(port), &hints, &list) == 0, let first = list else { return }  // the server says what is wrong with the host
        defer { freeaddrinfo(list) }
        let fd = socket(first.pointee.ai_family, first.pointee.ai_socktype, first.pointee.ai_protocol)
        guard fd >= 0 else { return }
        defer { close(fd) }
        var one: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        guard bind(fd, first.pointee.ai_addr, first.pointee.ai_addrlen) != 0 else { return }
        let code = errno
        let shown = host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
        switch code {
        case EADDRINUSE:
            let next = port == 65535 ? 8081 : port + 1
            let example = option == "--listen" ? "--listen \(host.contains(":") ? "[\(host)]" : host):\(next)" : "\(option) \(next)"
            throw CommandFailure("port \(port) is already in use on \(host) (another `siaran serve`, or another program); "
                                 + "stop it, or choose another port with \(option) (e.g. \(example))")
        case EADDRNOTAVAIL:
            throw CommandFailure("cannot listen on \(shown): \(host) is not an address of this machine; choose another with \(option)")
        case EACCES:
            throw CommandFailure("cannot listen on \(shown): ports below 1024 need root; choose another with \(option) (e.g. \(option) \(host):8080)")
        default:
            throw CommandFailure("cannot listen on \(shown): \(String(cString: strerror(code))); choose another with \(option)")
        }
    }
}
