import Foundation
import GRDB
#if canImport(Glibc)
import Glibc
#endif
import SiaranArchive
import SiaranCore
import SiaranSearch

extension SQLiteCatalog {
    /// Reads the rows a search meets: which session, what kind, when, and their text (from the
    /// catalog for titles, agenda, roster and tags; from the caption file for cues). Caches per search.
    final class RowReader {
        struct SessionInfo {
            var number: Int64
            var id: String
            var title: String
            var startedAt: Double
            var range: ClosedRange<Int64>
        }

        struct Entry {
            var session: SessionInfo
            var kind: MatchKind
            var start: Double
            var speaker: Int64?
            var agenda: Int64?
            var text: Text
        }

        enum Text {
            case stored(String)
            /// `path` as stored: relative to the catalog's folder, or absolute.
            case file(path: String, range: Range<Int>)
        }

        private struct CaptionFile {
            var path: String
            var ids: ClosedRange<Int64>
            var data: Data
            var checkpoints: Data
            /// Decoded runs of cues (from one checkpoint to the next), by the position of their first.
            var chunks: [Int: (first: Int, cues: [StoredCue])] = [:]
        }

        private let db: Database
        private let folder: String
        private var sessions: [SessionInfo] = []
        private var captionFiles: [Int64: [CaptionFile]] = [:]
        private var entries: [Int64: Entry?] = [:]
        private var labels: [Int64: String] = [:]
        private var files: [String: Int32] = [:]
        private var folderDescriptor: Int32?

        init(db: Database, folder: String) {
            self.db = db
            self.folder = folder
        }

        deinit {
            for fd in files.values where fd >= 0 { close(fd) }
            if let folderDescriptor, folderDescriptor >= 0 { close(folderDescriptor) }
        }

        /// The session whose id range holds `id`; nil for rows left behind by a re-index.
        func session(of id: Int64) throws -> SessionInfo? {
            if let known = sessions.first(where: { $0.range.contains(id) }) { return known }
            let statement = try db.cachedStatement(sql: "SELECT number, id, title, startedAt, firstDoc, lastDoc FROM session WHERE firstDoc <= ? ORDER BY firstDoc DESC LIMIT 1")
            // Columns by position: a lookup by name folds the name's case on every call.
            guard let row = try Row.fetchOne(statement, arguments: [id]), (row[5] as Int64) >= id else { return nil }
            let info = SessionInfo(number: row[0], id: row[1], title: row[2], startedAt: row[3], range: (row[4] as Int64)...(row[5] as Int64))
            sessions.append(info)
            return info
        }

        func entry(_ id: Int64) throws -> Entry? {
            if let known = entries[id] { return known }
            let entry = try load(id)
            entries[id] = entry
            return entry
        }

        private func load(_ id: Int64) throws -> Entry? {
            guard let session = try session(of: id) else { return nil }
            if captionFiles[session.number] == nil {
                let statement = try db.cachedStatement(sql: "SELECT path, first, count, cues, checkpoints FROM caption_file WHERE session = ?")
                var files: [CaptionFile] = []
                // Rows read in place from the statement while the cursor stands on them (no copies).
                let cursor = try Row.fetchCursor(statement, arguments: [session.number])
                while let row = try cursor.next() {
                    let first: Int64 = row[1], count: Int64 = row[2]
                    guard count > 0 else { continue }
                    files.append(CaptionFile(path: row[0], ids: first...(first + count - 1), data: row[3], checkpoints: row[4]))
                }
                captionFiles[session.number] = files
            }
            if let index = captionFiles[session.number]!.firstIndex(where: { $0.ids.contains(id) }) {
                let offset = Int(id - captionFiles[session.number]![index].ids.lowerBound)
                let file = captionFiles[session.number]![index]
                let key = file.checkpoints.isEmpty ? 0 : offset / StoredCue.checkpointInterval
                let chunk: (first: Int, cues: [StoredCue])
                if let known = file.chunks[key] {
                    chunk = known
                } else {
                    chunk = StoredCue.chunk(holding: offset, in: file.data, checkpoints: file.checkpoints)
                    captionFiles[session.number]![index].chunks[key] = chunk
                }
                let cue = offset >= chunk.first && offset - chunk.first < chunk.cues.count ? chunk.cues[offset - chunk.first] : nil
                guard let cue else { return nil }
                return Entry(session: session, kind: CaptionSource.isMachineTranscript(file.path) ? .transcript : .caption,
                             start: Double(cue.startMillis) / 1000, speaker: cue.speaker,
                             agenda: cue.agenda, text: .file(path: file.path, range: cue.text))
            }
            let statement = try db.cachedStatement(sql: "SELECT kind, start, text, speaker, agenda FROM doc WHERE id = ?")
            guard let row = try Row.fetchOne(statement, arguments: [id]) else { return nil }
            return Entry(session: session, kind: MatchKind(rawValue: row[0]) ?? .note, start: row[1], speaker: row[3],
                         agenda: row[4], text: .stored(row[2]))
        }

        /// The row's text ("" when its caption file can no longer be read).
        func text(of entry: Entry) throws -> String {
            switch entry.text {
            case let .stored(text):
                return text
            case let .file(path, range):
                if folderDescriptor == nil { folderDescriptor = open(folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC) }
                // Stored paths are relative to the catalog's folder (`<session>/captions/<file>.vtt`); a
                // crafted catalog's other paths (absolute, `..`, through links) are never opened.
                if files[path] == nil { files[path] = PlainFile.openBeneath(folderDescriptor!, path) }
                let fd = files[path]!
                guard fd >= 0, range.count < 1 << 20 else { return "" }
                var bytes = [UInt8](repeating: 0, count: range.count)
                let read = bytes.withUnsafeMutableBytes { pread(fd, $0.baseAddress, range.count, off_t(range.lowerBound)) }
                guard read == range.count else { return "" }
                return WebVTT.clean(String(decoding: bytes, as: UTF8.self))
            }
        }

        func label(_ number: Int64?) throws -> String? {
            guard let number else { return nil }
            if let known = labels[number] { return known }
            let name = try String.fetchOne(db.cachedStatement(sql: "SELECT name FROM label WHERE number = ?"), arguments: [number])
            labels[number] = name
            return name
        }
    }
}
