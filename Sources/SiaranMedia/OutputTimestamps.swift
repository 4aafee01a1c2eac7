import CFFmpeg

/// Session-clock timestamps (microseconds) as a muxer's streams take them: rescaled to each stream's
/// time base, decode times strictly increasing per stream, and (for fMP4) snapped back onto the
/// stream's own cadence when rounding through microseconds moved them by one tick — or movenc
/// rejects a fragment's first packet.
struct OutputTimestamps {
    private let timeBases: [AVRational]
    private let snapToCadence: Bool
    private var lastDts: [Int64]
    /// Per stream, where the next packet should start (output ticks), when known.
    private var nextDts: [Int64]
    private static let micros = siaran_time_base_q()

    init(timeBases: [AVRational], snapToCadence: Bool = false) {
        self.timeBases = timeBases
        self.snapToCadence = snapToCadence
        lastDts = Array(repeating: Int64.min, count: timeBases.count)
        nextDts = lastDts
    }

    /// Sets `packet`'s stream index, dts, pts and duration for output stream `stream`.
    mutating func stamp(_ packet: UnsafeMutablePointer<AVPacket>, stream: Int, dts: Int64, pts: Int64, duration: Int64) {
        let tb = timeBases[stream]
        var outDts = av_rescale_q(dts, Self.micros, tb)
        var outPts = av_rescale_q(pts, Self.micros, tb)
        if snapToCadence, nextDts[stream] != Int64.min, abs(outDts - nextDts[stream]) <= 1 {
            outPts += nextDts[stream] - outDts
            outDts = nextDts[stream]
        }
        if outDts <= lastDts[stream] {
            outPts += lastDts[stream] + 1 - outDts
            outDts = lastDts[stream] + 1
        }
        lastDts[stream] = outDts
        let outDuration = duration > 0 ? av_rescale_q(duration, Self.micros, tb) : 0
        nextDts[stream] = outDuration > 0 ? outDts + outDuration : Int64.min
        packet.pointee.stream_index = Int32(stream)
        packet.pointee.dts = outDts
        packet.pointee.pts = max(outPts, outDts)
        packet.pointee.duration = outDuration
        packet.pointee.pos = -1
    }
}
