import Foundation
import HTTPTypes
import Hummingbird
import SiaranArchive

/// Thumbnails, clip downloads and the MP4 playback stream, each made by a `siaran-media` child.
struct MediaRoutes {
    let archive: Archive
    let gate: Gate
    let jobs: MediaJobs

    var thumbnailFolder: String { archive.root + "/.cache/thumbnails" }

    func add(to router: Router<SiaranContext>) {
        // A keyframe at `at` seconds (default: a tenth into the session), `width` px wide; made once, then cached.
        router.get("/api/sessions/:id/thumbnail") { request, context in
            try gate.require(.viewer, context)
            let id = try SessionRoutes.session(context.parameters.get("id") ?? "", in: archive)
            let manifest = try archive.loadManifest(id)
            let query = request.form
            let at = try Self.seconds(query["at"], "at") ?? min(manifest.mediaDuration * 0.1, 30)
            let width = try SearchRoutes.number(query["width"], "width", default: 320, range: 64...1920)
            let cache = ThumbnailCache(folder: thumbnailFolder, capacity: jobs.limits.thumbnailCacheFiles)
            let file = cache.path(session: id, at: at, width: width)
            if !FileManager.default.fileExists(atPath: file) {
                try FileManager.default.createDirectory(atPath: thumbnailFolder, withIntermediateDirectories: true)
                try await jobs.run(["thumbnail", id, "--at", String(format: "%.1f", at), "--width", String(width), "-o", file, "--force"])
                cache.trim()
            }
            guard let data = FileManager.default.contents(atPath: file) else { throw APIError(.internalServerError, "the thumbnail was not written") }
            return Response(status: .ok, headers: [.contentType: "image/jpeg", .cacheControl: "private, max-age=3600"],
                            body: .init(byteBuffer: ByteBuffer(bytes: data)))
        }
        // A clip of `from`–`to` seconds, as an MP4 download (no re-encode).
        router.get("/api/sessions/:id/clip") { request, context in
            try gate.require(.viewer, context)
            let id = try SessionRoutes.session(context.parameters.get("id") ?? "", in: archive)
            let query = request.form
            guard let from = try Self.seconds(query["from"], "from"), let to = try Self.seconds(query["to"], "to") else {
                throw APIError(.badRequest, key: "error.clip.range")
            }
            guard to > from else { throw APIError(.badRequest, key: "error.clip.order") }
            guard to - from <= 3 * 3600 else { throw APIError(.badRequest, key: "error.clip.long") }
            let stream = try await jobs.stream(["clip", id, "--from", Self.format(from), "--to", Self.format(to), "-o", "-", "--format", "mp4"], for: context)
            let name = "\(id)-\(Int(from))-\(Int(to)).mp4"
            return Response(status: .ok, headers: [.contentType: "video/mp4", .contentDisposition: Reply.contentDisposition(name),
                                                   .cacheControl: "no-store"],
                            body: stream)
        }
        // Playback for browsers without native HLS: the session from `start` seconds on as one
        // fragmented MP4 stream, remuxed from the segments; a seek is a new request with a new start.
        router.get("/api/sessions/:id/playback.mp4") { request, context in
            try gate.require(.viewer, context)
            let id = try SessionRoutes.session(context.parameters.get("id") ?? "", in: archive)
            let manifest = try archive.loadManifest(id)
            let start = try Self.seconds(request.form["start"], "start") ?? 0
            let end = max(manifest.mediaEnd, start + 1)
            let stream = try await jobs.stream(["clip", id, "--from", Self.format(start), "--to", Self.format(end), "-o", "-", "--format", "mp4"], for: context)
            return Response(status: .ok, headers: [.contentType: "video/mp4", .cacheControl: "no-store"], body: stream)
        }
    }

    static func seconds(_ value: Substring?, _ name: String) throws -> Double? {
        guard let value else { return nil }
        guard !value.hasPrefix("-"), let seconds = Double(value), seconds.isFinite, seconds >= 0, seconds < 1e7 else {
            throw APIError(.badRequest, key: "error.moment", ["name": name, "value": String(value)])
        }
        // Never a negative zero: "-0.0" would reach the child's command line as an option.
        return seconds + 0
    }

    static func format(_ seconds: Double) -> String { String(format: "%.3f", seconds) }
}
