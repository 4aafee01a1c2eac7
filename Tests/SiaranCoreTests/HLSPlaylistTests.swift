import Foundation
import SiaranCore
import Testing

@Suite("HLS playlist")
struct HLSPlaylistTests {
    let start = Date(timeIntervalSince1970: 1_631_700_000)

    func segment(_ sequence: Int, _ file: String, _ duration: Double, at start: Date, discontinuity: Bool) -> SegmentRecord {
        SegmentRecord(sequence: sequence, file: file, mediaStart: Double(sequence) * 6, duration: duration, wallClockStart: start,
                      bytes: 1000, discontinuity: discontinuity)
    }

    @Test("a live playlist is an EVENT playlist without ENDLIST; a finished one ends")
    func liveAndEnded() {
        let entries = [segment(0, "000000.ts", 6.006, at: start, discontinuity: false)]
        let live = HLSPlaylist.render(entries, targetDuration: 6, ended: false)
        #expect(live.contains("#EXT-X-PLAYLIST-TYPE:EVENT"))
        #expect(!live.contains("#EXT-X-ENDLIST"))
        #expect(live.contains("#EXT-X-TARGETDURATION:7"))
        #expect(live.contains("#EXT-X-PROGRAM-DATE-TIME:2021-09-15T10:00:00.000Z"))
        #expect(live.contains("#EXTINF:6.006,\n000000.ts"))
        #expect(HLSPlaylist.render(entries, targetDuration: 6, ended: true).hasSuffix("#EXT-X-ENDLIST\n"))
    }

    @Test("a segment after a gap is marked EXT-X-DISCONTINUITY")
    func discontinuity() {
        let entries = [
            segment(0, "000000.ts", 6, at: start, discontinuity: false),
            segment(1, "000001.ts", 6, at: start + 30, discontinuity: true),
        ]
        let text = HLSPlaylist.render(entries, targetDuration: 6, ended: true)
        #expect(text.contains("#EXT-X-DISCONTINUITY\n#EXT-X-PROGRAM-DATE-TIME:2021-09-15T10:00:30.000Z\n#EXTINF:6.000,\n000001.ts"))
        #expect(text.components(separatedBy: "DISCONTINUITY").count == 2)
    }
}

@Suite("Quality choice")
struct QualityChoiceTests {
    let variants = [QualityChoice.Variant(height: 180, bitRate: 300_000), QualityChoice.Variant(height: 1080, bitRate: 6_000_000),
                    QualityChoice.Variant(height: 720, bitRate: 2_500_000), QualityChoice.Variant(height: 720, bitRate: 4_000_000)]

    @Test("best, worst and a height pick the variant streamlink and yt-dlp users expect")
    func picks() {
        #expect(QualityChoice.best.pick(variants) == 1)
        #expect(QualityChoice.worst.pick(variants) == 0)
        #expect(QualityChoice("720p")?.pick(variants) == 3)
        #expect(QualityChoice("480")?.pick(variants) == 0)
        #expect(QualityChoice("144p")?.pick(variants) == 0)
        #expect(QualityChoice("hd") == nil && QualityChoice("0p") == nil)
        #expect(QualityChoice.best.pick([]) == nil)
    }
}
