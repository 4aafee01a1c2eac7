import CFFmpeg
#if canImport(Glibc)
import Glibc
#endif

/// A file that a libav muxer writes through a custom AVIOContext, so that Siaran owns the file
/// descriptor: it can `fsync` before renaming, and it sees the real `errno` (ENOSPC) of a failed write.
///
/// Confined to the thread that muxes into it.
final class FileSink {
    let path: String
    private(set) var fd: Int32
    /// Bytes written so far.
    private(set) var bytesWritten: Int64 = 0
    /// The errno of the first failed write, if any.
    private(set) var failure: Int32 = 0
    /// The AVIOContext to hand to a muxer (`AVFormatContext.pb`).
    private(set) var context: UnsafeMutablePointer<AVIOContext>?

    private static let bufferSize: Int32 = 64 * 1024

    /// A stream (standard output): written in order, never sought, synced, closed or renamed.
    let isStream: Bool

    /// Creates (truncating) `path` for writing.
    init(path: String) throws(MediaError) {
        self.path = path
        isStream = false
        fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0o644)
        if fd < 0 { throw FileSink.error(errno, path: path) }
        try makeContext()
    }

    /// Writes to standard output, which may be a pipe: the muxer is told it cannot seek.
    init(standardOutput: Void) throws(MediaError) {
        path = "standard output"
        isStream = true
        fd = STDOUT_FILENO
        try makeContext()
        context?.pointee.seekable = 0
    }

    private func makeContext() throws(MediaError) {
        guard let buffer = av_malloc(Int(Self.bufferSize))?.assumingMemoryBound(to: UInt8.self) else {
            close(fd)
            throw .writeFailed(path: path, reason: "out of memory")
        }
        let opaque = Unmanaged.passUnretained(self).toOpaque()
        context = avio_alloc_context(buffer, Self.bufferSize, 1, opaque, nil, fileSinkWrite, isStream ? nil : fileSinkSeek)
        context?.pointee.seekable = AVIO_SEEKABLE_NORMAL
        if context == nil {
            av_free(buffer)
            if !isStream { close(fd) }
            throw .writeFailed(path: path, reason: "out of memory")
        }
    }

    deinit {
        releaseContext()
        if fd >= 0 && !isStream { close(fd) }
    }

    /// Removes what was written of a file that will not be kept (a stream cannot be taken back).
    func discard() {
        if !isStream { unlink(path) }
    }

    /// Flushes libav's buffer, `fsync`s (when `durable`) and closes the file. Throws the write error, if any.
    func finish(durable: Bool = true) throws(MediaError) {
        if let context { avio_flush(context) }
        releaseContext()
        if failure != 0 { throw Self.error(failure, path: path) }
        if isStream { fd = -1; return }
        if durable, fsync(fd) != 0 { let e = errno; close(fd); fd = -1; throw Self.error(e, path: path) }
        var info = stat()
        if fstat(fd, &info) == 0 { bytesWritten = Int64(info.st_size) }
        if close(fd) != 0 { let e = errno; fd = -1; throw Self.error(e, path: path) }
        fd = -1
    }

    /// Finishes the file (see `finish`) and renames it to `finalPath`; its size. A file that cannot be
    /// made durable is removed, not kept half-written.
    func commit(as finalPath: String, durable: Bool) throws(MediaError) -> Int64 {
        do { try finish(durable: durable) } catch {
            discard()
            throw error
        }
        if isStream { return bytesWritten }
        if rename(path, finalPath) != 0 { throw .writeFailed(path: finalPath, reason: String(cString: strerror(errno))) }
        return bytesWritten
    }

    /// The error to report for a failed write: the sink's errno when there is one.
    func mediaError(for error: LibavError, context what: String) -> MediaError {
        if failure != 0 { return Self.error(failure, path: path) }
        return .libav(error, context: what)
    }

    static func error(_ code: Int32, path: String) -> MediaError {
        if code == ENOSPC || code == EDQUOT { return .diskFull(path: path) }
        if code == EPIPE { return .writeFailed(path: path, reason: "the reader closed it") }
        return .writeFailed(path: path, reason: String(cString: strerror(code)))
    }

    private func releaseContext() {
        guard context != nil else { return }
        av_freep(&context!.pointee.buffer)
        avio_context_free(&context)
    }

    fileprivate func write(_ bytes: UnsafeMutablePointer<UInt8>, count: Int32) -> Int32 {
        if failure != 0 { return siaran_averror(failure) }
        var offset = 0
        while offset < Int(count) {
            let n = Glibc.write(fd, bytes + offset, Int(count) - offset)
            if n < 0 {
                if errno == EINTR { continue }
                failure = errno
                return siaran_averror(failure)
            }
            offset += n
        }
        bytesWritten += Int64(count)
        return count
    }

    fileprivate func seek(_ offset: Int64, whence: Int32) -> Int64 {
        if whence & SIARAN_AVSEEK_SIZE != 0 {
            var info = stat()
            return fstat(fd, &info) == 0 ? Int64(info.st_size) : Int64(siaran_averror(errno))
        }
        let result = lseek(fd, off_t(offset), whence & ~Int32(AVSEEK_FORCE))
        return result < 0 ? Int64(siaran_averror(errno)) : Int64(result)
    }
}

private let fileSinkWrite: @convention(c) (UnsafeMutableRawPointer?, UnsafeMutablePointer<UInt8>?, Int32) -> Int32 = {
    opaque, buffer, size in
    guard let opaque, let buffer else { return siaran_averror(EINVAL) }
    return Unmanaged<FileSink>.fromOpaque(opaque).takeUnretainedValue().write(buffer, count: size)
}

private let fileSinkSeek: @convention(c) (UnsafeMutableRawPointer?, Int64, Int32) -> Int64 = { opaque, offset, whence in
    guard let opaque else { return Int64(siaran_averror(EINVAL)) }
    return Unmanaged<FileSink>.fromOpaque(opaque).takeUnretainedValue().seek(offset, whence: whence)
}
