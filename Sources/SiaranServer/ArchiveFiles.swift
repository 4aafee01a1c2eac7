import Foundation
import Hummingbird
import Logging
import SiaranArchive

/// The files of the archive that the web may read, under `/media/SESSION/…`: a session's playlist,
/// segments and init segments (`media/`) and its caption files (`captions/`), nothing else. Every
/// name must be a plain file name inside its folder, and every file a plain file (a crafted archive's
/// symbolic link to /etc/passwd, or a `..`, is not served). A file is opened once, without following a
/// link, checked through its descriptor (a regular file with one link: a hard link to a file outside
/// the archive has two) and served from that descriptor.
struct ArchiveFiles: FileProvider {
    typealias FileIdentifier = String

    struct FileAttributes: Sendable, FileMiddlewareFileAttributes {
        var isFolder: Bool { false }
        let size: Int
        let modificationDate: Date
    }

    let archive: Archive

    static let mediaExtensions: Set<String> = ["m3u8", "ts", "m4s", "mp4", "aac"]
    static let captionExtensions: Set<String> = ["vtt"]

    init(archive: Archive, logger: Logger) {
        self.archive = archive
    }

    /// `path` is what follows `/media`: `/SESSION/NAME` or `/SESSION/captions/NAME`.
    func getFileIdentifier(_ path: String) -> String? {
        let parts = path.split(separator: "/", omittingEmptySubsequences: false).dropFirst().map(String.init)
        guard parts.count == 2 || parts.count == 3, Self.isSessionName(parts[0]) else { return nil }
        let id = parts[0]
        let folder: String, name: String, allowed: Set<String>
        if parts.count == 3 {
            guard parts[1] == "captions" else { return nil }
            (folder, name, allowed) = (archive.captionsDirectory(of: id), parts[2], Self.captionExtensions)
        } else {
            (folder, name, allowed) = (archive.mediaDirectory(of: id), parts[1], Self.mediaExtensions)
        }
        guard PlainFile.isPlainName(name), !name.hasPrefix("."), allowed.contains((name as NSString).pathExtension.lowercased()),
              PlainFile.isPlainFolder(archive.directory(of: id)), PlainFile.isPlainFolder(folder) else { return nil }
        let full = folder + "/" + name
        guard PlainFile.isPlainFile(full) else { return nil }
        return full
    }

    func getAttributes(id: String) async throws -> FileAttributes? {
        guard let file = ServedFile(path: id) else { return nil }
        defer { file.close() }
        return FileAttributes(size: file.size, modificationDate: file.modificationDate)
    }

    func loadFile(id: String, context: some RequestContext) async throws -> ResponseBody {
        guard let file = ServedFile(path: id) else { throw HTTPError(.notFound) }
        return file.body(from: 0, count: file.size)
    }

    func loadFile(id: String, range: ClosedRange<Int>, context: some RequestContext) async throws -> ResponseBody {
        guard let file = ServedFile(path: id) else { throw HTTPError(.notFound) }
        let end = min(range.upperBound, file.size - 1)
        return file.body(from: range.lowerBound, count: max(0, end - range.lowerBound + 1))
    }

    static func isSessionName(_ name: String) -> Bool {
        !name.isEmpty && !name.hasPrefix(".") && PlainFile.isPlainName(name)
    }

    /// The content types of the media Siaran writes (HLS players check them).
    static let mediaTypes: [String: MediaType] = [
        "m3u8": MediaType(type: .application, subType: "vnd.apple.mpegurl"),
        "ts": MediaType(type: .video, subType: "mp2t"),
        "m4s": MediaType(type: .video, subType: "iso.segment"),
        "mp4": MediaType(type: .video, subType: "mp4"),
        "aac": MediaType(type: .audio, subType: "aac"),
        "vtt": MediaType(type: .text, subType: "vtt"),
    ]
}

/// Cache rules for archive files: a playlist may grow (a live session), so it is revalidated every
/// time; a finished segment never changes.
struct MediaCacheMiddleware: RouterMiddleware {
    typealias Context = SiaranContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response = try await next(request, context)
        let path = request.uri.path
        guard path.hasPrefix("/media/") else { return response }
        if path.hasSuffix(".m3u8") || path.hasSuffix(".vtt") {
            response.headers[.cacheControl] = "no-cache"
        } else if response.status == .ok || response.status == .partialContent {
            response.headers[.cacheControl] = "private, max-age=86400"
        }
        return response
    }
}
