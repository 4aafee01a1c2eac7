import Foundation
import HTTPTypes
import Hummingbird
import SiaranArchive
import SiaranCore

/// The session's captions for HLS players (issue 32): `master.m3u8` (the media playlist with a
/// WebVTT subtitle rendition), `subs.m3u8` and its segments `subs/N.vtt`, made from the final
/// transcript and the live captions it has not reached (`LiveCaptionLines`), so a live session's
/// viewers see words within seconds and the archive keeps them.
struct CaptionPlaylistRoutes {
    let archive: Archive
    let gate: Gate

    func add(to router: Router<SiaranContext>) {
        router.get("/api/sessions/:id/master.m3u8") { _, context in
            try gate.require(.viewer, context)
            let id = try SessionRoutes.session(context.parameters.get("id") ?? "", in: archive)
            let manifest = try archive.loadManifest(id)
            let seconds = manifest.segments.reduce(0) { $0 + $1.duration }
            let bytes = manifest.segments.reduce(Int64(0)) { $0 + $1.bytes }
            let bandwidth = seconds > 0 ? Int(Double(bytes) * 8 / seconds) : 2_000_000
            let path = Self.escaped(id)
            let text = HLSSubtitles.master(media: "/media/\(path)/index.m3u8", subtitles: "/api/sessions/\(path)/subs.m3u8",
                                           bandwidth: bandwidth, language: "id", name: "Bahasa Indonesia")
            return Self.reply(text, type: "application/vnd.apple.mpegurl")
        }
        router.get("/api/sessions/:id/subs.m3u8") { _, context in
            try gate.require(.viewer, context)
            let id = try SessionRoutes.session(context.parameters.get("id") ?? "", in: archive)
            let manifest = try archive.loadManifest(id)
            let text = HLSSubtitles.playlist(manifest.segments, targetDuration: manifest.targetSegmentDuration,
                                             ended: manifest.state != .recording) { "subs/\($0).vtt" }
            return Self.reply(text, type: "application/vnd.apple.mpegurl")
        }
        router.get("/api/sessions/:id/subs/:segment") { _, context in
            try gate.require(.viewer, context)
            let id = try SessionRoutes.session(context.parameters.get("id") ?? "", in: archive)
            let manifest = try archive.loadManifest(id)
            let name = context.parameters.get("segment") ?? ""
            guard name.hasSuffix(".vtt"), let number = Int(name.dropLast(4)), number >= 0, number < manifest.segments.count,
                  String(number) + ".vtt" == name else {
                throw APIError(.notFound, key: "error.noSubtitleSegment", ["name": name])
            }
            let segment = manifest.segments[number]
            let text = HLSSubtitles.segment(LiveCaptionLines.shown(archive: archive, id: id), start: segment.mediaStart, end: segment.mediaEnd)
            return Self.reply(text, type: "text/vtt")
        }
    }

    static func escaped(_ id: String) -> String {
        id.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(CharacterSet(charactersIn: "/"))) ?? id
    }

    static func reply(_ text: String, type: String) -> Response {
        Response(status: .ok, headers: [.contentType: type + "; charset=utf-8", .cacheControl: "no-cache"],
                 body: .init(byteBuffer: ByteBuffer(string: text)))
    }
}
