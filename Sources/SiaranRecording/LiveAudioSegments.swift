import Foundation
import SiaranArchive
import SiaranCore

/// The segments a live captions pass reads: the finished ones, and the MPEG-TS segment being
/// written, whose audio so far can be read while it grows. The recorder writes that segment as
/// `NAME.part` and renames it to `NAME` once finished; looking for it under `NAME` found nothing
/// while it was written, so until session 14 a word reached a pass only when its segment was
/// finished (6 s segments: 3 s later on average, up to 6). An fMP4 segment is one fragment written
/// at its end, so it is read once finished.
public enum LiveAudioSegments {
    /// The segments to read at `date` (the open one with the length the wall clock gives it) and where
    /// the recording is then (session seconds).
    public static func readable(_ manifest: SessionManifest, mediaDirectory: String, at date: Date) -> (segments: [SegmentRecord], clock: Double) {
        var segments = manifest.segments
        let finishedEnd = manifest.segments.last?.mediaEnd ?? 0
        guard let open = manifest.openSegment else { return (segments, finishedEnd) }
        let written = max(0, date.timeIntervalSince(open.wallClockStart))
        let clock = open.mediaStart + written
        guard manifest.segmentFormat == "ts" else { return (segments, clock) }
        // Still being written, or finished and renamed since the manifest was read (its record is not
        // in this manifest yet).
        guard let file = [open.partFile, open.file].first(where: { FileManager.default.fileExists(atPath: mediaDirectory + "/" + $0) }) else {
            return (segments, clock)
        }
        segments.append(SegmentRecord(sequence: open.sequence, file: file, mediaStart: open.mediaStart, duration: written,
                                      wallClockStart: open.wallClockStart, bytes: 0, discontinuity: open.discontinuity))
        return (segments, clock)
    }
}
