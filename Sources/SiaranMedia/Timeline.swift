/// One continuous session clock across reconnects, source timestamp jumps and the 33-bit MPEG-TS wrap.
///
/// Works in microseconds. Every packet's input timestamps are moved by one shared shift, so audio and
/// video keep their sync. A new connection, or a jump in a track's timestamps beyond `maxJump`,
/// picks a new shift that makes the track continue where it left off. Output decode timestamps
/// never go backwards within a track.
public struct Timeline: Sendable {
    /// A change in one track's timestamps larger than this (forward) is a jump, not a pause.
    public var maxForwardJump: Int64
    /// A step backwards larger than this is a jump (smaller ones are reordering noise).
    public var maxBackwardStep: Int64
    /// Space left between the end of one connection and the start of the next.
    public var reconnectPad: Int64

    private var shift: Int64?
    private var previousShift: Int64?
    private var lastOut: [Int: Int64] = [:]
    private var lastStep: [Int: Int64] = [:]
    private var seenThisConnection: Set<Int> = []
    /// Each track's input decode time of the last packet taken in this connection.
    private var lastIn: [Int: Int64] = [:]
    /// The largest output time reached (decode time plus duration) over all tracks.
    public private(set) var end: Int64 = 0
    /// How many timestamp jumps inside a connection were smoothed over.
    public private(set) var jumps = 0
    /// How many packets were dropped because they repeated the decode time of the track's packet
    /// before (media sent twice, e.g. a fetcher re-sending a live window stamped with the last time).
    public private(set) var repeats = 0

    public init(maxForwardJump: Int64 = 10_000_000, maxBackwardStep: Int64 = 1_000_000, reconnectPad: Int64 = 100_000) {
        self.maxForwardJump = maxForwardJump
        self.maxBackwardStep = maxBackwardStep
        self.reconnectPad = reconnectPad
    }

    /// Starts a new connection: its first packet continues the session where it ended.
    public mutating func beginConnection() {
        shift = nil
        previousShift = nil
        seenThisConnection = []
        lastIn = [:]
    }

    /// Output (dts, pts) for a packet of `track`, or nil when the packet belongs before what was already
    /// written (a late packet of a track at the start of a connection) and should be dropped, or
    /// repeats the decode time of the track's last packet: two packets of one track never share a
    /// decode time, so such a packet is media sent again (libav's matroska demuxer stamps streamlink's
    /// re-sent window at a live DASH stream's end so, hundreds of packets), neither a jump nor a cadence.
    /// `sparse` tracks (subtitles) may pause for long; they never trigger jump detection.
    public mutating func map(track: Int, dts: Int64, pts: Int64, duration: Int64, sparse: Bool = false) -> (dts: Int64, pts: Int64)? {
        if !sparse, seenThisConnection.contains(track), lastIn[track] == dts {
            repeats += 1
            return nil
        }
        let first = lastOut.isEmpty
        if shift == nil {
            shift = (first ? 0 : end + reconnectPad) - dts
        }
        var chosen = shift!
        if let last = lastOut[track], seenThisConnection.contains(track), !sparse {
            if !isContinuous(dts + chosen, after: last) {
                if let previous = previousShift, isContinuous(dts + previous, after: last) {
                    chosen = previous
                } else {
                    previousShift = shift
                    chosen = last + max(lastStep[track] ?? 0, 1) - dts
                    shift = chosen
                    jumps += 1
                }
            }
        }
        var outDts = dts + chosen
        var outPts = pts + chosen
        if !seenThisConnection.contains(track) {
            // First packet of this track in this connection: it may not reach back before what exists.
            if outDts < (lastOut[track] ?? 0) || outDts < 0 { return nil }
            seenThisConnection.insert(track)
        }
        if let last = lastOut[track], outDts <= last {
            // Overlap (a jump that reached this track late): follow on at the track's own cadence,
            // not one tick later, so no two frames share a moment.
            let bump = last + max(lastStep[track] ?? 1, 1) - outDts
            outDts += bump
            outPts += bump
        }
        if outPts < outDts { outPts = outDts }
        lastIn[track] = dts
        if let last = lastOut[track] { lastStep[track] = outDts - last }
        if duration > 0 { lastStep[track] = duration }
        lastOut[track] = outDts
        end = max(end, max(outDts, outPts) + max(duration, 0))
        return (outDts, outPts)
    }

    private func isContinuous(_ candidate: Int64, after last: Int64) -> Bool {
        let step = candidate - last
        return step >= -maxBackwardStep && step <= maxForwardJump
    }
}
