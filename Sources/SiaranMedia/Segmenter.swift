import SiaranCore
import CFFmpeg
import Foundation

/// Cuts a stream of packets into segments at video keyframes (on time for audio-only streams),
/// maps timestamps onto one session clock, and writes each segment with `SegmentMuxer`.
///
/// Confined to the recorder's thread.
public final class Segmenter {
    public let directory: String
    public let format: SegmentFormat
    /// Target segment length in seconds.
    public let targetDuration: Double
    public private(set) var timeline = Timeline()
    /// The next sequence number to use.
    public private(set) var nextSequence: Int
    /// Packets dropped because they came before the first keyframe of a connection, or overlapped.
    public private(set) var droppedPackets = 0
    /// Bytes of finished segments plus the one being written.
    public var bytesOnDisk: Int64 { finishedBytes + (muxer?.bytesWritten ?? 0) }
    /// The segment being written, if any.
    public private(set) var openSegment: OpenSegmentRecord?

    /// Caption cues read from subtitle streams of the source since the last `takeCues()`.
    private var cues: [Cue] = []
    private var finishedBytes: Int64 = 0
    private var streams: [SelectedStream] = []
    /// Per selected stream: its index in the segment files (subtitle streams are not muxed).
    private var outputIndex: [Int?] = []
    private var muxedStreams: [SelectedStream] = []
    private var hasVideo = false
    private var muxer: (any SegmentFileWriter)?
    /// TS: the muxer of the current connection, shared by its segments (see `TSConnectionMuxer`).
    private var tsConnection: TSConnectionMuxer?
    /// Connections begun so far (the first segment of every later one is a TS discontinuity).
    private var connections = 0
    /// fMP4: the muxer of the current connection, its fragments so far (mfhd runs on across
    /// connections), and the init segment the media segments play with now.
    private var fmp4Connection: FMP4ConnectionMuxer?
    private var fragmentsWritten = 0
    private var currentInit: (file: String, bytes: Data)?
    private var initFilesWritten = 0
    private var segmentStartMicros: Int64 = 0
    private var segmentEndMicros: Int64 = 0
    private var waitingForKeyframe = true
    private var pendingDiscontinuity = false
    /// Wall clock minus session clock, in seconds, for the current connection. Live: the smallest
    /// seen over the packets (a packet cannot arrive before it was live; a backlog arrives late).
    private var wallOffset: Double?
    private var liveClock = true
    private var connectionWallStart = Date()
    private let directoryFD: Int32
    /// Live outage detection: each main track's last input decode time, when the last packet arrived.
    private var lastInputDts: [Int: Int64] = [:]
    private var lastArrival: Date?
    /// The last pause of a second or more between packets: when it began, how long it was.
    private var recentPause: (start: Date, duration: Double)?
    private var outages: [Outage] = []

    /// fsync every segment before it is renamed into place (live recording). Off for imports, where
    /// the source file still exists: `syncAll()` makes everything durable once at the end.
    public let durableSegments: Bool

    public init(directory: String, format: SegmentFormat, targetDuration: Double, nextSequence: Int = 0, durableSegments: Bool = true) {
        self.durableSegments = durableSegments
        self.directory = directory
        self.format = format
        self.targetDuration = targetDuration
        self.nextSequence = nextSequence
        directoryFD = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
    }

    deinit {
        muxer?.abandon()
        if directoryFD >= 0 { close(directoryFD) }
    }

    /// Starts taking packets from a (new) connection; `discontinuity` marks the next segment (after a
    /// gap). A live connection times packets by their arrival; otherwise the first packet is taken
    /// to have been live at `wallClock` and the rest follow the media clock.
    public func beginConnection(_ input: InputSource, wallClock: Date, live: Bool, discontinuity: Bool) {
        liveClock = live
        streams = input.selected
        muxedStreams = streams.filter { $0.kind != .subtitle }
        var next = 0
        outputIndex = streams.map { stream in
            guard stream.kind != .subtitle else { return nil }
            defer { next += 1 }
            return next
        }
        hasVideo = streams.contains { $0.kind == .video }
        restartClock(wallClock: wallClock, discontinuity: discontinuity)
    }

    /// The session clock starts over from the next keyframe, as after a reconnect: new muxers, a new
    /// timeline shift (media continues where it ended), the wall clock learnt again.
    private func restartClock(wallClock: Date, discontinuity: Bool) {
        tsConnection = nil
        fmp4Connection = nil
        connections += 1
        timeline.beginConnection()
        waitingForKeyframe = true
        pendingDiscontinuity = pendingDiscontinuity || discontinuity
        wallOffset = nil
        connectionWallStart = wallClock
        lastInputDts = [:]
        lastArrival = nil
        recentPause = nil
    }

    /// A stretch of a live source lost inside one connection: packets stopped arriving, and when they
    /// came back their timestamps had jumped by about as long (the encoder or a relay went on
    /// without us). Recorded like a reconnect's gap, so the session clock's wall time stays true.
    public struct Outage: Sendable, Equatable {
        /// When the last packet before it arrived.
        public var wallClockStart: Date
        public var duration: Double
        /// Where on the session clock it falls.
        public var mediaPosition: Double
    }

    /// Outages found since the last call.
    public func takeOutages() -> [Outage] {
        defer { outages = [] }
        return outages
    }

    /// A jump of at least this many seconds in a main track's timestamps, with packets pausing for
    /// at least half as long, is an outage (smaller ones are a source's own jitter).
    public static let outageJump = 1.5
    /// Silence (no packet arriving) of at least this long, after which a track's timestamps do not
    /// simply go on (they jump forward, step back or start over: an encoder that was restarted), is
    /// an outage of the silence's length. Timestamps that go on are a stall whose data came late but
    /// whole (TCP), or a segmented source's rhythm (HLS): nothing was lost, so no gap.
    public static let outageSilence = 1.5
    /// How far a track's timestamps may step back and still be "going on" (B-frame reordering of the
    /// demuxer's output is well under this).
    static let continuingBackStep = 0.5

    /// When the last pause of a second or more began, if it ended within a second of `lastArrival`
    /// (the packets after it were the ones a demuxer held back until the connection ended).
    public func silenceStart(before lastArrival: Date) -> Date? {
        guard let pause = recentPause, lastArrival.timeIntervalSince(pause.start) <= pause.duration + 1 else { return nil }
        return pause.start
    }

    /// Checks a live packet for an outage before it is taken; when there was one, finishes the open
    /// segment (returned) and starts the clock over. The pause and the jump may show on different
    /// packets (the demuxer hands out the packet it was assembling when data stopped only once data
    /// comes again), so a pause counts for the packets of the next second.
    private func checkOutage(track: Int, dts: Int64, kind: StreamKind, arrival now: Date?) throws(MediaError) -> SegmentRecord? {
        guard let now, kind != .subtitle else { return nil }
        defer {
            lastArrival = now
            lastInputDts[track] = dts
        }
        guard let arrived = lastArrival else { return nil }
        if now.timeIntervalSince(arrived) >= 1 { recentPause = (arrived, now.timeIntervalSince(arrived)) }
        if let pause = recentPause, now.timeIntervalSince(pause.start) > pause.duration + 1 { recentPause = nil }
        guard let previous = lastInputDts[track], let pause = recentPause else { return nil }
        let jump = Double(dts - previous) / 1e6
        let jumpedOn = jump >= Self.outageJump && pause.duration >= jump / 2
        let startedOver = pause.duration >= Self.outageSilence && (jump < -Self.continuingBackStep || jump >= Self.outageJump)
        guard jumpedOn || startedOver else { return nil }
        outages.append(Outage(wallClockStart: pause.start, duration: pause.duration, mediaPosition: Double(timeline.end) / 1e6))
        let finished = try finishSegment()
        restartClock(wallClock: now, discontinuity: true)
        return finished
    }

    /// Feeds one packet read from the current connection (`index` into its selected streams).
    /// Returns the segment that this packet finished, if it started a new one.
    func take(_ packet: UnsafeMutablePointer<AVPacket>, index: Int) throws(MediaError) -> SegmentRecord? {
        defer { av_packet_unref(packet) }
        let stream = streams[index]
        let isKey = packet.pointee.flags & SIARAN_PKT_FLAG_KEY != 0
        guard let timing = PacketTiming(packet, stream: stream) else { droppedPackets += 1; return nil }
        let (dtsIn, ptsIn, duration) = (timing.dts, timing.pts, timing.duration)
        // A live packet's arrival time: for outages, and for the wall clock below.
        let arrival = liveClock ? Date() : nil
        let beforeOutage = try checkOutage(track: stream.track, dts: dtsIn, kind: stream.kind, arrival: arrival)

        if waitingForKeyframe {
            // A segment must start where a player can: on a video keyframe (any audio packet if audio only).
            let startsHere = hasVideo ? (stream.kind == .video && isKey) : stream.kind == .audio
            if !startsHere { droppedPackets += 1; return beforeOutage }
        }
        guard let (dts, pts) = timeline.map(track: stream.track, dts: dtsIn, pts: ptsIn, duration: duration,
                                            sparse: stream.kind == .subtitle) else {
            droppedPackets += 1
            return beforeOutage
        }
        if let arrival {
            let offset = arrival.timeIntervalSince1970 - Double(pts) / 1e6
            wallOffset = min(wallOffset ?? offset, offset)
        } else if wallOffset == nil {
            wallOffset = connectionWallStart.timeIntervalSince1970 - Double(pts) / 1e6
        }

        var finished = beforeOutage
        let cutsHere = hasVideo ? (stream.kind == .video && isKey) : stream.kind == .audio
        if waitingForKeyframe {
            waitingForKeyframe = false
            finished = try finishSegment() ?? finished
            try startSegment(at: pts)
        } else if cutsHere, Double(pts - segmentStartMicros) >= (targetDuration - 0.02) * 1e6 {
            segmentEndMicros = pts
            finished = try finishSegment()
            try startSegment(at: pts)
        }
        let mainKind: StreamKind = hasVideo ? .video : .audio
        if stream.kind == mainKind { segmentEndMicros = max(segmentEndMicros, pts + duration) }
        guard let output = outputIndex[index] else {
            collectCue(packet, stream: stream, start: pts, duration: duration)
            return finished
        }
        try muxer!.write(packet, stream: output, dts: dts, pts: pts, duration: duration)
        return finished
    }

    /// Finishes the segment being written (at the end of a connection, or when stopping).
    /// Returns it, or nil if none was open.
    public func finishSegment() throws(MediaError) -> SegmentRecord? {
        guard let muxer, let open = openSegment else { return nil }
        self.muxer = nil
        openSegment = nil
        let bytes = try muxer.finish(durable: durableSegments)
        let initFile = try storeInitSection(of: muxer)
        if durableSegments, directoryFD >= 0 { fsync(directoryFD) }
        finishedBytes += bytes
        return SegmentRecord(sequence: open.sequence, file: open.file, mediaStart: open.mediaStart,
                             duration: max(0, Double(segmentEndMicros - segmentStartMicros) / 1e6),
                             wallClockStart: wallClock(at: segmentStartMicros), bytes: bytes,
                             discontinuity: open.discontinuity, initBytes: muxer.initBytes > 0 ? muxer.initBytes : nil,
                             initFile: initFile)
    }

    /// fMP4: the init segment the finished segment plays with; a connection's new init section is
    /// written as `init-K.mp4` unless it is the same as the current one (a reconnect to the same stream).
    private func storeInitSection(of muxer: any SegmentFileWriter) throws(MediaError) -> String? {
        guard let connection = muxer as? FMP4ConnectionMuxer, let bytes = connection.initSection else { return nil }
        fragmentsWritten += 1
        if let current = currentInit, current.bytes == bytes { return current.file }
        let file = "init-\(initFilesWritten).mp4"
        try InitSegmentFile.write(bytes, to: directory + "/" + file, durable: durableSegments)
        initFilesWritten += 1
        currentInit = (file, bytes)
        return file
    }

    /// Makes every file written so far durable (one `syncfs` for the whole file system).
    public func syncAll() {
        if directoryFD >= 0 { _ = siaran_syncfs(directoryFD) }
    }

    /// The caption cues collected from the source's subtitle streams since the last call.
    public func takeCues() -> [Cue] {
        defer { cues = [] }
        return cues
    }

    private func collectCue(_ packet: UnsafeMutablePointer<AVPacket>, stream: SelectedStream, start: Int64, duration: Int64) {
        guard let data = packet.pointee.data, packet.pointee.size > 0 else { return }
        // A text subtitle packet is text: binary payloads (script data, AMF blobs) are not captions.
        // (mov_text starts with a 2-byte length.)
        let bytes = UnsafeBufferPointer(start: data, count: Int(packet.pointee.size))
        let payload = stream.parameters.pointer.pointee.codec_id == AV_CODEC_ID_MOV_TEXT ? bytes.dropFirst(2) : bytes[...]
        if payload.contains(where: { $0 < 0x20 && $0 != 0x0A && $0 != 0x0D && $0 != 0x09 }) { return }
        var text = String(decoding: UnsafeBufferPointer(start: data, count: Int(packet.pointee.size)), as: UTF8.self)
        let codec = stream.parameters.pointer.pointee.codec_id
        if codec == AV_CODEC_ID_ASS || codec == AV_CODEC_ID_SSA {
            // libav's ASS packets: ReadOrder,Layer,Style,Name,MarginL,MarginR,MarginV,Effect,Text
            text = text.split(separator: ",", maxSplits: 8, omittingEmptySubsequences: false).last.map(String.init) ?? text
            text = text.replacingOccurrences(of: "\\N", with: " ")
        } else if codec == AV_CODEC_ID_MOV_TEXT, text.utf8.count > 2 {
            text = String(decoding: UnsafeBufferPointer(start: data + 2, count: Int(packet.pointee.size) - 2), as: UTF8.self)
        }
        let clean = WebVTT.clean(text)
        guard !clean.isEmpty else { return }
        let seconds = Double(start) / 1e6
        cues.append(Cue(start: seconds, end: seconds + Double(max(duration, 0)) / 1e6, text: clean, voice: WebVTT.voice(text)))
    }

    /// Drops the segment being written (its `.part` file is removed).
    public func abandonSegment() {
        muxer?.abandon()
        muxer = nil
        tsConnection = nil
        fmp4Connection = nil
        openSegment = nil
    }

    /// The file name of segment `sequence`.
    public func fileName(for sequence: Int) -> String {
        Decimals.padded(sequence, width: 6) + "." + format.fileExtension
    }

    /// The wall-clock moment session time `micros` was live, by the current connection's offset.
    private func wallClock(at micros: Int64) -> Date {
        Date(timeIntervalSince1970: Double(micros) / 1e6 + (wallOffset ?? connectionWallStart.timeIntervalSince1970 - Double(micros) / 1e6))
    }

    private func startSegment(at pts: Int64) throws(MediaError) {
        let sequence = nextSequence
        let name = fileName(for: sequence)
        let wall = wallClock(at: pts)
        if format == .ts {
            if tsConnection?.isUsable != true {
                tsConnection = try TSConnectionMuxer(streams: muxedStreams.map(\.parameters), inputTimeBases: muxedStreams.map(\.timeBase),
                                                     discontinuity: connections > 1 || pendingDiscontinuity)
            }
            try tsConnection!.beginSegment(path: directory + "/" + name)
            muxer = tsConnection
        } else {
            if fmp4Connection?.isUsable != true {
                fmp4Connection = try FMP4ConnectionMuxer(streams: muxedStreams.map(\.parameters), inputTimeBases: muxedStreams.map(\.timeBase),
                                                         firstFragment: fragmentsWritten + 1)
            }
            try fmp4Connection!.beginSegment(path: directory + "/" + name)
            muxer = fmp4Connection
        }
        nextSequence += 1
        segmentStartMicros = pts
        segmentEndMicros = pts
        openSegment = OpenSegmentRecord(sequence: sequence, file: name, mediaStart: Double(pts) / 1e6,
                                        wallClockStart: wall, discontinuity: pendingDiscontinuity)
        pendingDiscontinuity = false
    }
}
