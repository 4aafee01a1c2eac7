import Foundation
import SiaranCore
#if canImport(Glibc)
import Glibc
#endif

/// The news post an officer writes after a briefing, as far as it is made: the transcript lines
/// starred as quotes, the keyframe picked as its photo, and the text once edited by hand. Stored
/// with the session as `post.json`; the photo beside it as `post-photo.jpg`.
public struct NewsPost: Codable, Sendable, Equatable {
    /// A caption or transcript line starred as a quote.
    public struct Quote: Codable, Sendable, Equatable {
        public var id: String
        /// The line's start and end, in seconds into the session.
        public var at: Double
        public var end: Double
        public var text: String
        /// Who said it: the line's voice tag, else the speaker tagged at that moment.
        public var speaker: String?
        /// Whether the line comes from the machine transcript (worth checking against the recording).
        public var machine: Bool
        public var starredBy: String?
        /// When it was starred (nil for quotes starred before this was kept).
        public var starredAt: Date?

        public init(id: String, at: Double, end: Double, text: String, speaker: String?, machine: Bool, starredBy: String?, starredAt: Date? = nil) {
            self.id = id
            self.at = at
            self.end = end
            self.text = text
            self.speaker = speaker
            self.machine = machine
            self.starredBy = starredBy
            self.starredAt = starredAt
        }
    }

    /// The keyframe picked as the post's photo.
    public struct Photo: Codable, Sendable, Equatable {
        public var at: Double
        public var pickedBy: String?

        public init(at: Double, pickedBy: String?) {
            self.at = at
            self.pickedBy = pickedBy
        }
    }

    public var quotes: [Quote] = []
    public var photo: Photo?
    /// The text as the officer edited it; nil while the post is the draft Siaran writes.
    public var text: String?
    public var editedBy: String?
    public var updatedAt: Date?

    public init() {}

    /// The quotes in the order they were said.
    public var quotesInOrder: [Quote] { quotes.sorted { ($0.at, $0.id) < ($1.at, $1.id) } }
}

/// Reads and changes a session's `post.json`. Changes from several officers at once are serialised
/// by a lock file, so no star is lost; every write is atomic.
public struct NewsPostStore: Sendable {
    public let archive: Archive

    public init(archive: Archive) { self.archive = archive }

    /// The longest quote kept, in characters.
    public static let longestQuote = 2_000
    /// The longest post text kept, in characters.
    public static let longestText = 100_000

    /// The session's post; an empty one when nothing was starred, picked or edited yet. Its quotes
    /// follow the transcript's corrections made since they were starred: `transcript`, the session's
    /// corrected lines when the caller has them already (`CorrectedTranscript.lines`), else read here.
    public func load(_ id: String, transcript: [CorrectedTranscript.Line]? = nil) throws(ArchiveError) -> NewsPost {
        let path = archive.postPath(of: id)
        guard let data = try PlainFile.read(path) else { return NewsPost() }
        let post: NewsPost
        do {
            post = try JSONCoding.decoder().decode(NewsPost.self, from: data)
        } catch {
            throw .unreadableManifest(path: path, reason: "not a news post file (\(error)); move it away to start the post again")
        }
        guard !post.quotes.isEmpty, PlainFile.isPlainFile(archive.correctionsPath(of: id)) else { return post }
        return post.followingCorrections(transcript ?? CorrectedTranscript.lines(archive: archive, id: id))
    }

    /// Applies `change` to the session's post under its lock and saves the result (`transcript` as for `load`).
    @discardableResult
    public func update(_ id: String, by author: String?, now: Date = Date(), transcript: [CorrectedTranscript.Line]? = nil,
                       _ change: (inout NewsPost) throws -> Void) throws -> NewsPost {
        let lock = try ExclusiveFileLock(path: archive.locksDirectory + "/" + id + ".post.lock")
        defer { withExtendedLifetime(lock) {} }
        var post = try load(id, transcript: transcript)
        try change(&post)
        post.updatedAt = now
        post.editedBy = post.text == nil ? nil : (author ?? post.editedBy)
        let data: Data
        do { data = try JSONCoding.encoder().encode(post) } catch {
            throw ArchiveError.cannotEncode(path: archive.postPath(of: id), reason: "cannot encode the news post: \(error)")
        }
        try AtomicFile.write(data, to: archive.postPath(of: id))
        return post
    }

    /// The photo's JPEG bytes, if one was picked and made.
    public func photo(_ id: String) -> Data? {
        (try? PlainFile.read(archive.postPhotoPath(of: id))) ?? nil
    }
}

extension Archive {
    public func postPath(of id: String) -> String { directory(of: id) + "/post.json" }
    public func postPhotoPath(of id: String) -> String { directory(of: id) + "/post-photo.jpg" }
}
