import Foundation
import SiaranMedia
import Testing

@Suite("HLS playlist")
struct HLSPlaylistTests {
    let start = Date(timeIntervalSince1970: 1_631_700_000)

    @Test("a live playlist is an EVENT playlist without ENDLIST; a finished one ends")
    func liveAndEnded() {
        let entries = [HLSPlaylist.Entry(fileName: "000000.ts", duration: 6.006, wallClockStart: start, discontinuity: false)]
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
            HLSPlaylist.Entry(fileName: "000000.ts", duration: 6, wallClockStart: start, discontinuity: false),
            HLSPlaylist.Entry(fileName: "000001.ts", duration: 6, wallClockStart: start + 30, discontinuity: true),
        ]
        let text = HLSPlaylist.render(entries, targetDuration: 6, ended: true)
        #expect(text.contains("#EXT-X-DISCONTINUITY\n#EXT-X-PROGRAM-DATE-TIME:2021-09-15T10:00:30.000Z\n#EXTINF:6.000,\n000001.ts"))
        #expect(text.components(separatedBy: "DISCONTINUITY").count == 2)
    }
}
