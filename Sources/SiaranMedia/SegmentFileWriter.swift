import CFFmpeg

/// What the segmenter writes one segment file through: a `SegmentMuxer` (one muxer per file), or
/// the current segment of a `TSConnectionMuxer` (one MPEG-TS muxer for every segment of a connection).
protocol SegmentFileWriter: AnyObject {
    /// Bytes written to the segment file so far.
    var bytesWritten: Int64 { get }
    /// fMP4: the init section's size at the start of the file; 0 otherwise.
    var initBytes: Int64 { get }
    /// Writes `packet` as output stream `stream` with session-clock timestamps in microseconds.
    func write(_ packet: UnsafeMutablePointer<AVPacket>, stream: Int, dts: Int64, pts: Int64, duration: Int64) throws(MediaError)
    /// Finishes the file (durable unless the caller syncs later), renames it into place; its size.
    func finish(durable: Bool) throws(MediaError) -> Int64
    /// Drops the file being written.
    func abandon()
}

extension SegmentMuxer: SegmentFileWriter {}
