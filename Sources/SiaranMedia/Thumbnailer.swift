import CFFmpeg
import Foundation
import SiaranCore

/// One picture of a session, encoded as a JPEG.
public struct ThumbnailImage: Sendable {
    public var jpeg: [UInt8]
    /// Session-clock time of the keyframe shown (at or before the asked moment).
    public var keyframe: Double
    public var width: Int
    public var height: Int
}

/// The picture of a session at a moment: the video keyframe at or before it, decoded with
/// libavcodec, scaled with libswscale and encoded as one JPEG with libavcodec's mjpeg encoder.
/// Only the segment holding the moment is read (or the one before it, when that segment opens with
/// no keyframe); no file is written.
public enum Thumbnailer {
    /// `sessionClock`: as for `Clipper.clip` (TS segments carry session-clock timestamps).
    public static func picture(of segments: [SegmentRecord], in directory: String, at time: Double, width: Int,
                               sessionClock: Bool = true) throws(MediaError) -> ThumbnailImage {
        let target = Int64(time * 1e6)
        // The segment holding the moment, then the ones before it (a segment that opens on a frame
        // that depends on earlier ones shows its predecessor's last keyframe).
        var candidates = Array(segments.filter { $0.mediaStart <= time }.suffix(2).reversed())
        // A moment before the first segment's start (a session that starts a few ms in): its first keyframe.
        if candidates.isEmpty, let first = segments.first { candidates = [first] }
        guard !candidates.isEmpty else { throw .cannotOpen(source: directory, reason: "the session has no recorded media") }
        for segment in candidates {
            guard let found = try keyframe(in: segment, directory: directory, atOrBefore: target,
                                           orFirst: segment == segments.first, sessionClock: sessionClock) else { continue }
            defer { found.release() }
            let frame = try VideoFrameDecoder.decode(found.packet!, stream: found.stream, segment: segment.file)
            defer { var owned: UnsafeMutablePointer<AVFrame>? = frame; av_frame_free(&owned) }
            let encoded = try JPEGStill.encode(frame, width: width, segment: segment.file)
            return ThumbnailImage(jpeg: encoded.bytes, keyframe: Double(found.pts) / 1e6, width: encoded.width, height: encoded.height)
        }
        throw .cannotOpen(source: "the session's video", reason: "no keyframe at or before \(Decimals.string(time, places: 2)) s")
    }

    /// A keyframe packet held out of its file, with its stream and session-clock time.
    final class HeldKeyframe {
        var packet: UnsafeMutablePointer<AVPacket>?
        let stream: SelectedStream
        let pts: Int64

        init(_ packet: UnsafeMutablePointer<AVPacket>, stream: SelectedStream, pts: Int64) {
            self.packet = av_packet_clone(packet)
            self.stream = stream
            self.pts = pts
        }

        func release() { av_packet_free(&packet) }
    }

    /// The last video keyframe of `segment` at or before `target` (µs, session clock); with `orFirst`,
    /// its first keyframe when none is that early. Nil when the segment has none.
    static func keyframe(in segment: SegmentRecord, directory: String, atOrBefore target: Int64, orFirst: Bool,
                         sessionClock: Bool) throws(MediaError) -> HeldKeyframe? {
        var options = InputOptions()
        options.openTimeout = 30
        options.readTimeout = 30
        let input: InputSource
        do { input = try InputSource(url: segment.url(in: directory), options: options, interrupt: InterruptControl()) } catch {
            throw .cannotOpen(source: "segment \(segment.file)", reason: Self.reason(error))
        }
        defer { input.close() }
        guard let video = input.selected.firstIndex(where: { $0.kind == .video }) else {
            throw .cannotOpen(source: "segment \(segment.file)", reason: "it holds no video (an audio-only session has no pictures)")
        }
        var packet: UnsafeMutablePointer<AVPacket>? = av_packet_alloc()
        defer { av_packet_free(&packet) }
        var held: HeldKeyframe?
        var origin: Int64?
        while true {
            let index: Int?
            do { index = try input.read(into: packet!) } catch {
                // What was read before the damage may hold the keyframe; otherwise the segment is unreadable.
                if held != nil { break }
                throw .cannotOpen(source: "segment \(segment.file)", reason: "cannot be read (\(error))")
            }
            guard let index else { break }
            defer { av_packet_unref(packet) }
            guard let timing = PacketTiming(packet!, stream: input.selected[index]) else { continue }
            if origin == nil { origin = segment.fileOrigin(firstPts: timing.pts, sessionClock: sessionClock) }
            guard index == video else { continue }
            let pts = timing.pts - origin!
            if pts > target && (held != nil || !orFirst) { break }
            guard packet!.pointee.flags & SIARAN_PKT_FLAG_KEY != 0 else { continue }
            held?.release()
            held = HeldKeyframe(packet!, stream: input.selected[index], pts: pts)
            if pts > target { break }
        }
        return held
    }

    static func reason(_ error: MediaError) -> String {
        if case let .cannotOpen(_, reason) = error { return reason }
        return error.description
    }
}
