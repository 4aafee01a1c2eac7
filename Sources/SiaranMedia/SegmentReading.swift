import SiaranCore

extension SegmentRecord {
    /// The URL libav reads this segment from: the file in `directory`, or for a CMAF media segment
    /// its init segment and itself, concatenated.
    func url(in directory: String) -> String {
        initFile.map { "concat:\(directory)/\($0)|\(directory)/\(file)" } ?? directory + "/" + file
    }

    /// The shift (microseconds) that puts this file's timestamps on the session clock, from the first
    /// timestamp read in it: TS segments and CMAF media segments carry the session clock already;
    /// fMP4 segments of before 2026-12 restart at zero and are placed by their `mediaStart`.
    func fileOrigin(firstPts: Int64, sessionClock: Bool) -> Int64 {
        sessionClock || initFile != nil ? 0 : firstPts - Int64(mediaStart * 1e6)
    }
}
