import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Whether a shared catalog's server answers at all, asked before a command waits on it: the
/// PostgreSQL client retries a connection that fails for about a minute before it gives up, and an
/// office without a network must search its own catalog at once, not after that minute.
enum CatalogReachability {
    /// How long a TCP connection to the catalog's host may take.
    static let timeout: Double = 3

    /// Whether `url`'s host accepts a TCP connection on its port within `timeout` (true when the URL
    /// cannot be read here: then the client's own error says what is wrong).
    static func answers(_ url: String, timeout: Double = timeout) -> Bool {
        guard let parts = URLComponents(string: url), let host = parts.host, !host.isEmpty else { return true }
        let port = parts.port ?? 5432
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        hints.ai_flags = AI_NUMERICSERV
        var list: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host.trimmingCharacters(in: CharacterSet(charactersIn: "[]")), String(port), &hints, &list) == 0 else { return false }
        defer { freeaddrinfo(list) }
        var entry = list
        while let address = entry {
            if connects(address.pointee, timeout: timeout) { return true }
            entry = address.pointee.ai_next
        }
        return false
    }

    private static func connects(_ address: addrinfo, timeout: Double) -> Bool {
        let fd = socket(address.ai_family, address.ai_socktype | Int32(SOCK_NONBLOCK.rawValue), address.ai_protocol)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        if connect(fd, address.ai_addr, address.ai_addrlen) == 0 { return true }
        guard errno == EINPROGRESS else { return false }
        var poller = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
        guard poll(&poller, 1, Int32(timeout * 1000)) == 1 else { return false }
        var failure: Int32 = 0
        var length = socklen_t(MemoryLayout<Int32>.size)
        getsockopt(fd, SOL_SOCKET, SO_ERROR, &failure, &length)
        return failure == 0
    }
}
