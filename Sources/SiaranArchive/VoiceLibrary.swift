import Foundation
#if canImport(Glibc)
import Glibc
#endif
import SiaranCore

/// The office's voice library and its on/off setting, in `<archive>/.voices/` (a hidden folder, so
/// never a session, never indexed, pushed or served): `library.json` (the enrolled people and their
/// voice vectors) and `settings.json`, both mode 0600 in a 0700 folder, and `history.jsonl`, an
/// append-only record of who turned voices on or off and who enrolled or deleted whom (names only).
///
/// A voice vector is biometric personal data (UU 27/2022): enrolment is off until an admin turns
/// it on, and deleting a person rewrites the library without them at once and overwrites the old
/// file's bytes before letting it go. The shared catalog gets names, never vectors.
public struct VoiceLibrary: Sendable {
    /// One person's voice as heard once: the mean vector of their speech in a stretch of a session
    /// (or of a sample file), and where it came from.
    public struct Sample: Codable, Sendable, Equatable {
        /// The session it was heard in, or nil for a sample file.
        public var session: String?
        /// For a sample: the file's name (not its path), or "SESSION@SECONDS".
        public var source: String?
        /// Seconds of speech the vector was made from.
        public var seconds: Double
        /// "tag" (a voice named by an officer's tag or a confirmed suggestion) or "sample" (`--enroll`).
        public var basis: String
        public var enrolledAt: Date
        /// The GE2E voice vector (256 numbers, unit length).
        public var vector: [Double]

        public init(session: String?, source: String? = nil, seconds: Double, basis: String, enrolledAt: Date = Date(), vector: [Double]) {
            self.session = session
            self.source = source
            self.seconds = seconds
            self.basis = basis
            self.enrolledAt = enrolledAt
            self.vector = vector
        }
    }

    /// An enrolled person with their samples (newest last).
    public struct Person: Codable, Sendable, Equatable {
        public var name: String
        public var samples: [Sample]
    }

    /// What `siaran voices --library` and the settings page show of a person: never the vectors.
    public struct Summary: Codable, Sendable, Equatable {
        public var name: String
        public var samples: Int
        /// The sessions their voice was learnt from, oldest first.
        public var sessions: [String]
        /// When they were last enrolled or updated.
        public var lastEnrolled: Date
    }

    /// The on/off setting and who last changed it.
    public struct Settings: Codable, Sendable, Equatable {
        public var enabled: Bool
        public var changedBy: String?
        public var changedAt: Date?
    }

    /// Why a library change was refused.
    public enum Problem: Error, CustomStringConvertible, Sendable, Equatable {
        case disabled
        case badName(String)
        case notEnrolled(String, enrolled: [String])

        public var description: String {
            switch self {
            case .disabled:
                return "voice recognition is off for this office (voiceprints are biometric data, UU 27/2022); "
                    + "an admin turns it on with `siaran voices --enable` or in the web companion's settings"
            case let .badName(name):
                return "'\(name)' cannot be a person's name here: give 1 to 100 characters, no control characters"
            case let .notEnrolled(name, enrolled):
                return "'\(name)' is not in the voice library" + (enrolled.isEmpty ? " (it is empty)" : " (enrolled: \(enrolled.joined(separator: ", ")))")
                    + "; `siaran voices --library` lists it"
            }
        }
    }

    /// At most this many samples are kept per person (the newest; one per session).
    public static let samplesPerPerson = 8

    public let archive: Archive
    public init(archive: Archive) { self.archive = archive }

    public var folder: String { archive.root + "/.voices" }
    public var libraryPath: String { folder + "/library.json" }
    public var settingsPath: String { folder + "/settings.json" }
    public var historyPath: String { folder + "/history.jsonl" }
    var lockPath: String { folder + "/.lock" }

    // MARK: The setting

    /// The office's setting (off when never set or unreadable).
    public func settings() -> Settings {
        guard let data = try? PlainFile.read(settingsPath), let settings = try? JSONCoding.decoder().decode(Settings.self, from: data) else {
            return Settings(enabled: false)
        }
        return settings
    }

    /// Whether voices may be diarised and enrolled here.
    public var isEnabled: Bool { settings().enabled }

    /// Turns voice recognition on or off for the office (admins only: the caller checks), recorded
    /// with who did it. Turning it off keeps the library (delete people to remove their vectors).
    public func setEnabled(_ enabled: Bool, by author: String) throws {
        try prepareFolder()
        let settings = Settings(enabled: enabled, changedBy: author, changedAt: Date())
        try AtomicFile.write(try JSONCoding.encoder().encode(settings), to: settingsPath, mode: 0o600)
        try record(enabled ? "enable" : "disable", person: nil, by: author)
    }

    // MARK: The library

    /// Everyone enrolled, without vectors, by name.
    public func people() throws -> [Summary] {
        try load().map { person in
            Summary(name: person.name, samples: person.samples.count,
                    sessions: person.samples.compactMap(\.session).reduce(into: []) { if !$0.contains($1) { $0.append($1) } },
                    lastEnrolled: person.samples.map(\.enrolledAt).max() ?? .distantPast)
        }.sorted { $0.name.localizedCaseInsensitiveCompare($1.name) == .orderedAscending }
    }

    /// Deletes `name` (matched ignoring case and accents) and all their vectors at once: the library is
    /// rewritten without them and the old file's bytes are overwritten. Allowed while voices are off.
    /// Returns the name as it was enrolled.
    @discardableResult
    public func delete(_ name: String, by author: String) throws -> String {
        try prepareFolder()
        let lock = try ExclusiveFileLock(path: lockPath)
        defer { withExtendedLifetime(lock) {} }
        var everyone = try load()
        let key = TextFolding.fold(name)
        guard let index = everyone.firstIndex(where: { TextFolding.fold($0.name) == key }) else {
            throw Problem.notEnrolled(name, enrolled: everyone.map(\.name))
        }
        let removed = everyone.remove(at: index)
        try save(everyone)
        try record("delete", person: removed.name, by: author)
        return removed.name
    }

    /// Adds a sample of `name`'s voice (only while voices are on). A sample from a session replaces
    /// that person's earlier sample from the same session; the newest `samplesPerPerson` are kept.
    public func enroll(_ name: String, sample: Sample, by author: String) throws {
        guard isEnabled else { throw Problem.disabled }
        let clean = name.trimmingCharacters(in: .whitespacesAndNewlines)
        guard (1...100).contains(clean.count), !clean.unicodeScalars.contains(where: { CharacterSet.controlCharacters.contains($0) }) else {
            throw Problem.badName(name)
        }
        try prepareFolder()
        let lock = try ExclusiveFileLock(path: lockPath)
        defer { withExtendedLifetime(lock) {} }
        var everyone = try load()
        let key = TextFolding.fold(clean)
        if let index = everyone.firstIndex(where: { TextFolding.fold($0.name) == key }) {
            var samples = everyone[index].samples.filter { sample.session == nil || $0.session != sample.session }
            samples.append(sample)
            everyone[index].samples = Array(samples.suffix(Self.samplesPerPerson))
        } else {
            everyone.append(Person(name: clean, samples: [sample]))
        }
        try save(everyone)
        try record("enroll", person: clean, by: author, session: sample.session)
    }

    /// Everyone with their vectors (for the voice worker only).
    public func load() throws -> [Person] {
        guard let data = try PlainFile.read(libraryPath) else { return [] }
        do { return try JSONCoding.decoder().decode([Person].self, from: data) } catch {
            throw ArchiveError.unreadableManifest(path: libraryPath, reason: "not a voice library (\(error)); "
                                                  + "restore it from a backup or delete the file to start an empty one")
        }
    }

    /// The library as the voice worker reads it (`--library`): one entry per sample.
    public func workerLibrary() throws -> Data {
        let entries = try load().flatMap { person in person.samples.map { ["person": person.name, "vector": $0.vector] as [String: Any] } }
        return try JSONSerialization.data(withJSONObject: entries)
    }

    private func save(_ everyone: [Person]) throws {
        try prepareFolder()
        // Keep the old file open across the rename, then overwrite its bytes: the vectors of a deleted
        // person do not linger in a freed file.
        let old = open(libraryPath, O_WRONLY | O_NOFOLLOW | O_CLOEXEC)
        defer { if old >= 0 { close(old) } }
        try AtomicFile.write(try JSONCoding.encoder().encode(everyone), to: libraryPath, mode: 0o600)
        if old >= 0 {
            var info = stat()
            if fstat(old, &info) == 0, info.st_size > 0 {
                _ = AtomicFile.writeAll(Data(count: Int(info.st_size)), to: old)
                fsync(old)
            }
        }
    }

    private func prepareFolder() throws {
        try archive.prepare()
        if mkdir(folder, 0o700) != 0 && errno != EEXIST { throw ArchiveError.io(path: folder, errno: errno) }
        guard PlainFile.isPlainFolder(folder) else { throw ArchiveError.notPlain(path: folder, what: "not a folder") }
        chmod(folder, 0o700)
    }

    private func record(_ action: String, person: String?, by author: String, session: String? = nil) throws {
        var entry: [String: String] = ["action": action, "by": author, "at": ISO8601.format(Date())]
        entry["person"] = person
        entry["session"] = session
        let line = try JSONSerialization.data(withJSONObject: entry, options: [.sortedKeys])
        let created = open(historyPath, O_WRONLY | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0o600)
        if created >= 0 { close(created) }
        try EventLog.appendLine(line, to: historyPath)
        chmod(historyPath, 0o600)
    }
}
