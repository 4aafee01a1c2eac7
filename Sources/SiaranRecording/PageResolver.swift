import Foundation
import SiaranCore

/// Where people's streams are: a YouTube/Facebook/Vimeo live page, a webinar platform's player page.
/// Such a page is resolved to the address of the stream it plays by yt-dlp (installed by
/// Scripts/setup), which knows those sites; the address expires (YouTube's after ~6 h), so the
/// recorder resolves the page again before then and whenever the stream refuses it.
struct PageResolver: Sendable {
    /// A stream address found in a page, with the HTTP headers the site wants sent with it.
    struct Resolved: Sendable {
        var url: String
        var headers: [String]
        var at: Date
    }

    /// Why a page gave no stream.
    struct Failure: Error, CustomStringConvertible {
        var page: String
        var reason: String
        var description: String { "no stream found at \(page): \(reason)" }
    }

    /// Resolve again after this long (yt-dlp itself refreshes YouTube's addresses at 5 h).
    static let refreshAfter: Double = 5 * 3600

    /// File names a stream or media file ends with: such a URL is opened as it is.
    static let mediaSuffixes = [".m3u8", ".mpd", ".ts", ".mp4", ".m4s", ".flv", ".mkv", ".webm", ".aac", ".mp3", ".m4a", ".mov", ".sdp"]

    /// Whether `url` looks like a web page rather than a stream: http(s) with a path that names no
    /// media file (`/watch?v=…`, `/live/briefing`, `/webinar.html`).
    static func isPage(_ url: String) -> Bool {
        let lower = url.lowercased()
        guard lower.hasPrefix("http://") || lower.hasPrefix("https://") else { return false }
        let path = String(lower.split(separator: "?", maxSplits: 1).first ?? "").split(separator: "#").first.map(String.init) ?? lower
        let last = path.split(separator: "/").last.map(String.init) ?? ""
        if path.split(separator: "/").count <= 2 && !lower.contains("youtu") { return false }  // a bare host: not a page to resolve
        return !mediaSuffixes.contains { last.hasSuffix($0) }
    }

    let quality: QualityChoice

    /// The longest a page may take to resolve.
    static let timeout: Double = 30

    /// The yt-dlp command, when installed.
    static func executable() -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        return path.split(separator: ":").map { "\($0)/yt-dlp" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// yt-dlp's format choice for `quality`.
    var formatSpec: String {
        switch quality {
        case .best: return "best/bestvideo*+bestaudio"
        case .worst: return "worst"
        case let .height(lines): return "best[height<=\(lines)]/worst"
        }
    }

    /// Asks yt-dlp for the stream the page plays.
    func resolve(_ page: String) throws -> Resolved {
        let shown = Redaction.redact(page)
        guard let tool = Self.executable() else {
            throw Failure(page: shown, reason: "it is a web page, and reading a stream out of one needs yt-dlp (Scripts/setup installs it: pip install yt-dlp)")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = ["--no-warnings", "--no-playlist", "--quiet", "-J", "-f", formatSpec, "--", page]
        let output = Pipe(), errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        process.standardInput = FileHandle.nullDevice
        do { try process.run() } catch { throw Failure(page: shown, reason: "cannot run yt-dlp (\(error))") }
        // A URL that is a stream after all (no file name to tell) must not keep yt-dlp reading it.
        let deadline = DispatchWorkItem { if process.isRunning { process.terminate() } }
        DispatchQueue.global().asyncAfter(deadline: .now() + Self.timeout, execute: deadline)
        defer { deadline.cancel() }
        let data = output.fileHandleForReading.readDataToEndOfFile()
        let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0,
              let info = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            let reason = message.split(separator: "\n").last.map { Redaction.redactText(String($0)) } ?? "yt-dlp found nothing"
            throw Failure(page: shown, reason: reason.replacingOccurrences(of: "ERROR: ", with: ""))
        }
        let format = (info["requested_formats"] as? [[String: Any]])?.first ?? info
        guard let url = format["url"] as? String ?? info["url"] as? String else {
            throw Failure(page: shown, reason: "yt-dlp found no single stream address in it")
        }
        let headers = ((format["http_headers"] ?? info["http_headers"]) as? [String: String] ?? [:])
            .filter { ["user-agent", "referer", "origin", "cookie"].contains($0.key.lowercased()) }
            .map { "\($0.key): \($0.value)" }.sorted()
        return Resolved(url: url, headers: headers, at: Date())
    }
}
