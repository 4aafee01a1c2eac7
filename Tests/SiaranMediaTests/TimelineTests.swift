import SiaranMedia
import Testing

@Suite("Session timeline")
struct TimelineTests {
    /// Feeds `count` frames of one track at `step` µs from `start`, returning output dts values.
    func feed(_ timeline: inout Timeline, track: Int = 0, start: Int64, count: Int, step: Int64 = 40_000) -> [Int64] {
        (0..<count).compactMap { i in
            let t = start + Int64(i) * step
            return timeline.map(track: track, dts: t, pts: t, duration: step)?.dts
        }
    }

    @Test("starts at zero and follows the source")
    func startsAtZero() {
        var timeline = Timeline()
        timeline.beginConnection()
        let out = feed(&timeline, start: 10_000_000, count: 3)
        #expect(out == [0, 40_000, 80_000])
    }

    @Test("a reconnect continues where the session ended, whatever the new source clock says")
    func reconnectContinues() {
        var timeline = Timeline()
        timeline.beginConnection()
        let first = feed(&timeline, start: 5_000_000_000, count: 25)
        timeline.beginConnection()
        let second = feed(&timeline, start: 42, count: 25)
        #expect(second.first! > first.last!)
        #expect(second.first! - first.last! < 500_000)
        #expect(zip(second, second.dropFirst()).allSatisfy { $0 < $1 })
    }

    @Test("a forward or backward jump inside a connection is smoothed over")
    func jumpsAreSmoothed() {
        var timeline = Timeline()
        timeline.beginConnection()
        let before = feed(&timeline, start: 1_000_000, count: 10)
        let forward = feed(&timeline, start: 3_600_000_000, count: 10)
        let backward = feed(&timeline, start: 0, count: 10)
        #expect(forward.first! - before.last! == 40_000)
        #expect(backward.first! - forward.last! == 40_000)
        #expect(timeline.jumps == 2)
    }

    @Test("the 33-bit MPEG-TS wrap does not move the clock back")
    func wrap() {
        var timeline = Timeline()
        timeline.beginConnection()
        // 2^33 ticks of 90 kHz, in microseconds.
        let wrap = Int64(1 << 33) * 1_000_000 / 90_000
        let before = feed(&timeline, start: wrap - 400_000, count: 10)
        let after = feed(&timeline, start: 0, count: 10)
        #expect(after.first! - before.last! == 40_000)
    }

    @Test("audio and video keep their offset through a jump that reaches them one after the other")
    func tracksStayInSync() {
        var timeline = Timeline()
        timeline.beginConnection()
        _ = timeline.map(track: 0, dts: 1_000_000, pts: 1_000_000, duration: 40_000)
        _ = timeline.map(track: 1, dts: 1_010_000, pts: 1_010_000, duration: 23_000)
        // Video jumps first, audio's next packet is still on the old clock, then jumps too.
        let video = timeline.map(track: 0, dts: 900_000_000, pts: 900_000_000, duration: 40_000)!
        let lateAudio = timeline.map(track: 1, dts: 1_033_000, pts: 1_033_000, duration: 23_000)!
        let audio = timeline.map(track: 1, dts: 900_010_000, pts: 900_010_000, duration: 23_000)!
        #expect(video.dts == 40_000)
        #expect(lateAudio.dts == 33_000)
        #expect(audio.dts - video.dts == 10_000)
    }

    @Test("late packets from before the start of a connection are dropped, not written backwards")
    func latePacketsDropped() {
        var timeline = Timeline()
        timeline.beginConnection()
        #expect(timeline.map(track: 0, dts: 2_000_000, pts: 2_000_000, duration: 40_000)?.dts == 0)
        #expect(timeline.map(track: 1, dts: 1_900_000, pts: 1_900_000, duration: 23_000) == nil)
        #expect(timeline.map(track: 1, dts: 2_010_000, pts: 2_010_000, duration: 23_000)?.dts == 10_000)
    }

    @Test("a track that reaches a jump late overlaps nothing: it follows on at its own cadence (HLS loop regression)")
    func lateTrackAfterJump() {
        var timeline = Timeline()
        timeline.beginConnection()
        for i in 0..<10 { _ = timeline.map(track: 0, dts: Int64(i) * 40_000, pts: Int64(i) * 40_000, duration: 40_000) }
        // Audio runs a little ahead of video in the interleaving.
        for i in 0..<17 { _ = timeline.map(track: 1, dts: 20_000 + Int64(i) * 23_220, pts: 20_000 + Int64(i) * 23_220, duration: 23_220) }
        // The source loops: video restarts at 0, audio at -21 ms (codec priming), both far behind.
        let video = timeline.map(track: 0, dts: 0, pts: 0, duration: 40_000)!
        let lastAudio = 20_000 + 16 * 23_220
        let audio = timeline.map(track: 1, dts: -21_000, pts: -21_000, duration: 23_220)!
        #expect(video.dts == 400_000)
        #expect(audio.dts >= Int64(lastAudio) + 23_220, "audio overlaps its previous frame: \(audio.dts)")
    }

    @Test("a run of packets repeating the last decode time is media sent twice: dropped, no jump, no stretch (streamlink's live DASH end)")
    func repeatedDecodeTimesDropped() {
        var timeline = Timeline()
        timeline.beginConnection()
        // 10 s of video and audio, then the window of the last 8 s sent again, every packet stamped
        // with the last time (as libav's matroska demuxer reads streamlink's output), then 1 s more.
        let video = feed(&timeline, track: 0, start: 0, count: 250)
        let audio = feed(&timeline, track: 1, start: 5_000, count: 430, step: 23_220)
        let lastVideo: Int64 = 249 * 40_000
        let lastAudio: Int64 = 5_000 + 429 * 23_220
        for _ in 0..<200 {
            #expect(timeline.map(track: 0, dts: lastVideo, pts: lastVideo, duration: 40_000) == nil)
            #expect(timeline.map(track: 1, dts: lastAudio, pts: lastAudio, duration: 23_220) == nil)
        }
        let after = feed(&timeline, track: 0, start: lastVideo + 40_000, count: 25)
        #expect(video.count == 250 && audio.count == 430)
        #expect(after.first == lastVideo + 40_000, "video after the repeats was moved to \(after.first ?? -1)")
        #expect(timeline.jumps == 0)
        #expect(timeline.repeats == 400)
        #expect(abs(timeline.end - 11_000_000) < 100_000, "11 s of media became \(timeline.end) µs")
    }
}
