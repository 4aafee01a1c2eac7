import Foundation
import Hummingbird
import NIOCore
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// An archive file opened to be served: opened once without following a symbolic link, checked
/// through its descriptor to be a regular file with a single link (not a hard link to something
/// outside the archive), then read only through that descriptor, so nothing can be swapped in between.
final class ServedFile: Sendable {
    let descriptor: Int32
    let size: Int
    let modificationDate: Date
    private let closed = Mutex(false)

    /// Nil when `path` is not a plain, singly linked regular file.
    init?(path: String) {
        let descriptor = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK)
        guard descriptor >= 0 else { return nil }
        var info = stat()
        guard fstat(descriptor, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG, info.st_nlink == 1 else {
            Glibc.close(descriptor)
            return nil
        }
        self.descriptor = descriptor
        size = Int(info.st_size)
        modificationDate = Date(timeIntervalSince1970: TimeInterval(info.st_mtim.tv_sec) + TimeInterval(info.st_mtim.tv_nsec) / 1e9)
    }

    /// Closes the descriptor (once; also when the answer was never sent).
    func close() {
        if closed.withLock({ closed in defer { closed = true }; return !closed }) { Glibc.close(descriptor) }
    }

    deinit { close() }

    /// Up to `count` bytes at `offset` (nil at the end of the file), read off the concurrency pool's threads.
    private func read(_ count: Int, at offset: Int) async -> ByteBuffer? {
        await withCheckedContinuation { continuation in
            DispatchQueue.global().async { [descriptor] in
                var buffer = ByteBuffer()
                let read = buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: count) { raw in
                    max(0, pread(descriptor, raw.baseAddress, count, off_t(offset)))
                }
                continuation.resume(returning: read > 0 ? buffer : nil)
            }
        }
    }

    /// `count` bytes from `offset`, read in 64 KiB pieces; the descriptor is closed at the end.
    func body(from offset: Int, count: Int) -> ResponseBody {
        ResponseBody(contentLength: count) { [self] writer in
            defer { close() }
            var position = offset, left = count
            while left > 0 {
                let wanted = min(left, 65536)
                let chunk = await read(wanted, at: position)
                // The file shrank under us: what was promised cannot be sent whole.
                guard let chunk else { throw HTTPError(.internalServerError) }
                try await writer.write(chunk)
                position += chunk.readableBytes
                left -= chunk.readableBytes
            }
            try await writer.finish(nil)
        }
    }
}
