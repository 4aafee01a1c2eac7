#if canImport(Glibc)
import Glibc
#endif

/// Writes to stderr without ever failing: a reader that went away (a closed log pipe) must not stop a
/// recording. (Foundation's `FileHandle.write` traps on EPIPE.)
public enum StandardError {
    public static func write(_ text: String) {
        var bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeMutableBytes { Glibc.write(2, $0.baseAddress! + offset, $0.count - offset) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { return }
            offset += n
        }
    }
}
