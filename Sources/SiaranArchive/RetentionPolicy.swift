import Foundation
import SiaranCore

/// An office's retention policy, kept in the archive (`<archive>/.retention.json`): sessions older
/// than `keepDays` go, and the oldest go while the archive's sessions take more than `budgetBytes` on
/// disk. Never a session being recorded, one pinned, or one of the `keepNewest` newest. Set by
/// `siaran retention --keep/--budget/--keep-newest` or the web page `/retensi` (admins); applied by
/// `siaran retention apply` and daily by `siaran serve`.
public struct RetentionPolicy: Codable, Sendable, Equatable {
    /// Sessions that started more than this many days ago are deleted (nil: no age limit).
    public var keepDays: Int?
    /// The sessions' disk budget in bytes (nil: none); the oldest go first while they take more.
    public var budgetBytes: Int64?
    /// The newest sessions that are never deleted, whatever their age or size.
    public var keepNewest: Int
    /// Who set it, and when.
    public var setBy: String?
    public var setAt: Date?

    public static let defaultKeepNewest = 3

    public init(keepDays: Int? = nil, budgetBytes: Int64? = nil, keepNewest: Int = Self.defaultKeepNewest, setBy: String? = nil, setAt: Date? = nil) {
        self.keepDays = keepDays
        self.budgetBytes = budgetBytes
        self.keepNewest = keepNewest
        self.setBy = setBy
        self.setAt = setAt
    }

    /// Whether it deletes anything at all (an age limit or a budget).
    public var isActive: Bool { keepDays != nil || budgetBytes != nil }

    public static func path(in archive: Archive) -> String { archive.root + "/.retention.json" }

    /// The archive's policy; none (inactive) when it has never been set. A file that cannot be read is
    /// an error: a damaged policy must not silently become "keep everything" or something else.
    public static func load(_ archive: Archive) throws(RetentionError) -> RetentionPolicy {
        let file = path(in: archive)
        do {
            guard let data = try PlainFile.read(file) else { return RetentionPolicy() }
            let policy = try JSONCoding.decoder().decode(RetentionPolicy.self, from: data)
            try policy.validate()
            return policy
        } catch let error as RetentionError {
            throw error
        } catch {
            throw .unreadablePolicy(path: file, reason: "\(error)")
        }
    }

    /// Checks the numbers, then writes the policy (atomically) and records the change in the
    /// retention log.
    public func save(in archive: Archive) throws {
        try validate()
        try archive.prepare()
        try AtomicFile.write(try JSONCoding.encoder().encode(self), to: Self.path(in: archive))
        try RetentionLog(archive: archive).append(RetentionLog.Entry(kind: "policy", at: setAt ?? Date(), by: setBy, policy: self))
    }

    public func validate() throws(RetentionError) {
        if let keepDays, !(1...36_500).contains(keepDays) { throw .badKeep("\(keepDays)d") }
        if let budgetBytes, budgetBytes < 1 { throw .badBudget("\(budgetBytes)") }
        if !(0...10_000).contains(keepNewest) { throw .badKeepNewest(keepNewest) }
    }

    /// "365d", "52w", "1y" (a year is 365 days) → days.
    public static func parseKeep(_ text: String) throws(RetentionError) -> Int {
        let clean = text.trimmingCharacters(in: .whitespaces).lowercased()
        guard let unit = clean.last, let factor = ["d": 1, "w": 7, "y": 365][String(unit)],
              let count = Int(clean.dropLast()), count > 0, count <= 36_500, count * factor <= 36_500 else { throw .badKeep(text) }
        return count * factor
    }

    /// "500G", "1.5T", "800M", "500GB" (decimal units, as Siaran prints sizes: 1G = 1,000,000,000 bytes) → bytes.
    public static func parseBudget(_ text: String) throws(RetentionError) -> Int64 {
        var clean = text.trimmingCharacters(in: .whitespaces).uppercased()
        if clean.hasSuffix("B") { clean.removeLast() }
        guard let unit = clean.last, let factor = ["K": 1e3, "M": 1e6, "G": 1e9, "T": 1e12][String(unit)],
              let number = Double(clean.dropLast()), number.isFinite, number > 0, number * factor <= 1e18, number * factor >= 1 else { throw .badBudget(text) }
        return Int64((number * factor).rounded())
    }

    /// "365 days" / "1 year"; for the terminal.
    public static func days(_ days: Int) -> String { days % 365 == 0 ? "\(days / 365) year\(days == 365 ? "" : "s") (\(days) days)" : "\(days) day\(days == 1 ? "" : "s")" }
}

/// Why retention refused to do something, with what to do.
public enum RetentionError: Error, CustomStringConvertible, Sendable, Equatable {
    case badKeep(String)
    case badBudget(String)
    case badKeepNewest(Int)
    case unreadablePolicy(path: String, reason: String)

    public var description: String {
        switch self {
        case let .badKeep(text):
            return "--keep takes a number of days, weeks or years, e.g. 365d, 52w or 1y, at most 100 years (got '\(TerminalText.safe(text))')"
        case let .badBudget(text):
            return "--budget takes a size with its unit K, M, G or T (decimal: 1G = 1,000,000,000 bytes), e.g. 500G or 1.5T (got '\(TerminalText.safe(text))')"
        case let .badKeepNewest(count):
            return "--keep-newest takes 0 to 10000 sessions (got \(count))"
        case let .unreadablePolicy(path, reason):
            return "cannot read the retention policy \(path): \(reason); set it again with siaran retention --keep … --budget … (nothing was deleted)"
        }
    }
}

/// The archive's record of retention: each change of the policy and each session a run deleted
/// (`<archive>/.retention/log.jsonl`, append-only), so an office can say what went, when and why.
public struct RetentionLog: Sendable {
    public let archive: Archive
    public init(archive: Archive) { self.archive = archive }

    public var path: String { archive.root + "/.retention/log.jsonl" }

    public struct Entry: Codable, Sendable, Equatable {
        /// "policy", "staged" (left the archive), "removed" (media deleted for good).
        public var kind: String
        public var at: Date
        public var by: String?
        public var policy: RetentionPolicy?
        public var session: String?
        public var title: String?
        public var startedAt: Date?
        public var bytes: Int64?
        public var reason: String?

        public init(kind: String, at: Date, by: String? = nil, policy: RetentionPolicy? = nil, session: String? = nil, title: String? = nil,
                    startedAt: Date? = nil, bytes: Int64? = nil, reason: String? = nil) {
            self.kind = kind
            self.at = at
            self.by = by
            self.policy = policy
            self.session = session
            self.title = title
            self.startedAt = startedAt
            self.bytes = bytes
            self.reason = reason
        }
    }

    public func append(_ entry: Entry) throws {
        try RetentionStaging(archive: archive).prepare()
        var line = try JSONCoding.encoder(pretty: false).encode(entry)
        line.append(0x0A)
        try AppendOnlyFile.append(line, to: path)
    }

    public func read() -> [Entry] {
        guard let data = try? PlainFile.read(path) else { return [] }
        return String(decoding: data, as: UTF8.self).split(separator: "\n").compactMap { try? JSONCoding.decoder().decode(Entry.self, from: Data($0.utf8)) }
    }
}
