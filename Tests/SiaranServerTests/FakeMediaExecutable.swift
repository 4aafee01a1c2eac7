import Foundation
import SiaranTestSupport
#if canImport(Glibc)
import Glibc
#endif

/// A stand-in for `siaran-media`, a real child process the server starts: it notes its pid and
/// arguments, then makes a tiny "thumbnail", fails a clip from 99 s (with an error line, no output),
/// or streams zeros without end (a clip or the MP4 stream).
struct FakeMediaExecutable {
    let folder = TestFolder.make("fake-media")
    var path: String { folder + "/siaran-media" }
    var callsPath: String { folder + "/calls" }

    init() throws {
        let script = """
        #!/bin/sh
        echo "$$ $*" >> "\(folder)/calls"
        case "$1" in
        thumbnail)
          out=""; prev=""
          for a in "$@"; do [ "$prev" = "-o" ] && out="$a"; prev="$a"; done
          printf 'JPEG' > "$out"; exit 0 ;;
        clip)
          case "$*" in *"--from 99.000"*) echo "error: nothing was recorded between 99 s and 100 s" >&2; exit 1 ;; esac
          exec cat /dev/zero ;;
        esac
        exit 2
        """
        try TestScript.write(script, to: path)
    }

    /// Every start so far: pid and arguments.
    var calls: [(pid: Int32, arguments: String)] {
        let text = (try? String(contentsOfFile: callsPath, encoding: .utf8)) ?? ""
        return text.split(separator: "\n").compactMap { line in
            let parts = line.split(separator: " ", maxSplits: 1)
            return Int32(parts[0]).map { ($0, parts.count > 1 ? String(parts[1]) : "") }
        }
    }

    /// Children still running (a finished one is reaped by the server: its /proc entry goes, or shows a zombie).
    var running: Int {
        calls.filter { call in
            guard let status = try? String(contentsOfFile: "/proc/\(call.pid)/status", encoding: .utf8) else { return false }
            return !status.contains("State:\tZ") && status.contains("Name:\tcat")
        }.count
    }

    /// Ends whatever is left (after a failed test).
    func killAll() { for call in calls { kill(call.pid, SIGKILL) } }
}

/// A plain TCP connection to the server that sends a request and reads only what it is told to:
/// a visitor that stops reading.
final class RawConnection {
    let socket: Int32

    init(port: Int) throws {
        socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var small: Int32 = 4096
        setsockopt(socket, SOL_SOCKET, SO_RCVBUF, &small, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { close(socket); throw POSIXError(.ECONNREFUSED) }
    }

    deinit { close(socket) }

    func send(_ text: String) {
        _ = text.utf8CString.withUnsafeBufferPointer { Glibc.send(socket, $0.baseAddress, $0.count - 1, Int32(MSG_NOSIGNAL)) }
    }

    /// `GET uri` as from `address` (an X-Forwarded-For a trusted proxy would add).
    func get(_ uri: String, from address: String, cookie: String? = nil) {
        send("GET \(uri) HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Forwarded-For: \(address)\r\n" + (cookie.map { "Cookie: \($0)\r\n" } ?? "") + "\r\n")
    }

    /// The response's head (status line and headers), waiting at most `timeout` seconds; "" when none came.
    /// It waits with `Task.sleep`, never blocking a thread of the concurrency pool the server's routes need.
    func head(timeout: Double) async -> String {
        var received = [UInt8]()
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            var poller = pollfd(fd: socket, events: Int16(POLLIN), revents: 0)
            guard poll(&poller, 1, 0) > 0 else {
                try? await Task.sleep(for: .milliseconds(20))
                continue
            }
            var byte: UInt8 = 0
            let count = recv(socket, &byte, 1, 0)
            if count < 0 && errno == EINTR { continue }  // a child of the test process ended meanwhile (SIGCHLD)
            guard count == 1 else { break }
            received.append(byte)
            if received.suffix(4).elementsEqual("\r\n\r\n".utf8) { break }
        }
        return String(decoding: received, as: UTF8.self)
    }

    /// How many seconds after this call the server closed the connection, or nil when it had not
    /// within `seconds` (what it sends meanwhile is read and dropped); `trickle` is sent every 0.3 s meanwhile.
    func closedAfter(atMost seconds: Double, trickle: String? = nil) async -> Double? {
        let started = Date()
        let deadline = started.addingTimeInterval(seconds)
        var nextTrickle = Date()
        // The socket is looked at once more after the deadline: on a busy machine this task may wake
        // only after it, and a connection the server closed in time still counts as closed.
        while true {
            if let trickle, Date() >= nextTrickle, Date() < deadline {
                send(trickle)
                nextTrickle = Date().addingTimeInterval(0.3)
            }
            let late = Date() >= deadline
            var poller = pollfd(fd: socket, events: Int16(POLLIN), revents: 0)
            guard poll(&poller, 1, 0) > 0 else {
                if late { return nil }
                try? await Task.sleep(for: .milliseconds(20))
                continue
            }
            var buffer = [UInt8](repeating: 0, count: 4096)
            let count = recv(socket, &buffer, buffer.count, 0)
            if count < 0 && errno == EINTR { continue }
            if count <= 0 { return Date().timeIntervalSince(started) }
        }
    }
}
