import Foundation
import GRDB
import SiaranArchive
import SiaranCore
import SiaranSearch

// The catalog's answers to a search's questions (`SearchPlan` asks them, scores and crowds for every
// engine): its vocabulary, and each probe's newest matching rows.
//
// Full-text row ids count down (newest first), so a MATCH with `ORDER BY rowid` reads the newest rows
// of a probe without visiting older ones, and stops at `want`. Phrases are matched as all their
// words, then checked in the row's text. A session that has given its `perSession` rows is skipped
// (the scan jumps past its first row).
extension SQLiteCatalog {
    func vocabulary(_ request: VocabularyRequest, in db: Database) throws -> Vocabulary {
        var vocabulary = Vocabulary()
        vocabulary.total = Double(max(1, (try Int64.fetchOne(db, sql: "SELECT nextDoc FROM counter") ?? 1) - 1))
        let docs = try db.cachedStatement(sql: "SELECT docs FROM term WHERE column = ? AND token = ?")
        for stem in request.stems { vocabulary.stemDocs[stem] = try Int.fetchOne(docs, arguments: [1, stem]) ?? 0 }
        for word in request.words { vocabulary.exactDocs[word] = try Int.fetchOne(docs, arguments: [0, word]) ?? 0 }
        for prefix in request.prefixes { vocabulary.completions[prefix] = try Self.completions(of: prefix, in: db) }
        for field in request.names {
            vocabulary.names[field] = try knownNames(field, in: db)
            guard field != .topic else { continue }
            vocabulary.labels[field] = try Row.fetchAll(db, sql: "SELECT number, name, aliases FROM label WHERE kind = ?", arguments: [field.rawValue])
                .map { Vocabulary.Label(number: $0["number"], name: Self.knownName($0)) }
        }
        return vocabulary
    }

    func candidates(_ request: CandidateRequest, in db: Database) throws -> [CandidateList] {
        let rows = RowReader(db: db, folder: folder)
        // Whether any caption file indexed is a machine transcript, the final one or the live lines (its rows carry `machineToken`).
        let names = [Archive.machineTranscriptName, Archive.liveCaptionsName]
        let hasTranscripts = try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM caption_file WHERE path IN (?, ?) OR path LIKE ? OR path LIKE ?)",
                                               arguments: StatementArguments(names + names.map { "%/" + $0 })) ?? false
        var scopes: [CandidateScope: Scope?] = [:]
        return try request.probes.map { probe in
            if scopes[probe.scope] == nil {
                var scope = Scope()
                scopes[probe.scope] = try scope.resolve(probe.scope, in: db) ? scope : Optional<Scope>.none
            }
            guard let scope = scopes[probe.scope]!,
                  let (table, part) = Self.table(for: probe.kinds, hasTranscripts: hasTranscripts) else { return CandidateList(rows: [], capped: false) }
            return try collect(probe, table: table, part: part, scope: scope, completions: request.completions, rows: rows, in: db)
        }
    }

    /// The full-text table holding rows of these kinds, and the MATCH part that keeps human captions
    /// apart from machine-transcript lines; nil when no row can be of these kinds.
    static func table(for kinds: Set<MatchKind>, hasTranscripts: Bool) -> (String, String)? {
        guard kinds.isSubset(of: [.caption, .transcript]) else { return ("meta_fts", "") }
        switch (kinds.contains(.caption), kinds.contains(.transcript)) {
        case (true, false): return ("caption_fts", hasTranscripts ? " NOT \"\(machineToken)\"" : "")
        case (false, true): return hasTranscripts ? ("caption_fts", " AND \"\(machineToken)\"") : nil
        case (true, true): return ("caption_fts", "")
        case (false, false): return nil
        }
    }

    /// The newest rows of `table` that the probe takes.
    private func collect(_ probe: CandidateProbe, table: String, part: String, scope: Scope, completions: [String: [String]],
                         rows: RowReader, in db: Database) throws -> CandidateList {
        let parts = probe.terms.map { MatchExpression.of($0, exactOnly: probe.exact, completions: completions, analyzer: analyzer) }
        if parts.contains(where: { $0 == nil }) { return CandidateList(rows: [], capped: false) }
        let exclusions = probe.excluded.filter { if case .phrase = $0 { return false } else { return true } }
            .compactMap { MatchExpression.of($0, exactOnly: false, completions: completions, analyzer: analyzer) }
        let excludedMatch = exclusions.isEmpty ? "" : " NOT (" + exclusions.joined(separator: " OR ") + ")"
        let match = "(" + parts.map { $0! }.joined(separator: " AND ") + ")\(scope.contextFilter)\(part)" + excludedMatch
        let phrases = probe.phrases, excludedPhrases = probe.excludedPhrases
        var taken: [Int64: Int] = [:]
        var capped = false
        let found = try Self.collect(table: table, match: match, scope: scope, want: probe.want, in: db) { id in
            guard let entry = try rows.entry(id), scope.allows(entry.session.number), probe.kinds.contains(entry.kind) else { return .skip }
            if let perSession = probe.perSession, taken[entry.session.number, default: 0] >= perSession {
                capped = true
                return .skipSession(firstID: entry.session.range.lowerBound)
            }
            if !phrases.isEmpty || !excludedPhrases.isEmpty,
               try !holdsPhrases(try rows.text(of: entry), phrases: phrases, excluded: excludedPhrases, exact: probe.exact) { return .skip }
            taken[entry.session.number, default: 0] += 1
            return .take
        }
        let candidates = try found.compactMap { id -> Candidate? in
            guard let entry = try rows.entry(id) else { return nil }
            return Candidate(id: id, session: entry.session.id, title: entry.session.title, startedAt: Date(timeIntervalSince1970: entry.session.startedAt),
                             kind: entry.kind, seconds: entry.start, speaker: try rows.label(entry.speaker), agenda: try rows.label(entry.agenda),
                             text: try rows.text(of: entry))
        }
        return CandidateList(rows: candidates, capped: capped)
    }

    /// Whether the text holds every wanted phrase in order and no excluded one (by stems).
    private func holdsPhrases(_ text: String, phrases: [[String]], excluded: [[String]], exact: Bool) -> Bool {
        let words = analyzer.words(text)
        var stems: [String]?
        func holds(_ phrase: [String], exact: Bool) -> Bool {
            if exact { return Self.contains(words, phrase) }
            if stems == nil { stems = words.map(analyzer.stem) }
            return Self.contains(stems!, phrase.map(analyzer.stem))
        }
        return phrases.allSatisfy { holds($0, exact: exact) } && !excluded.contains { holds($0, exact: false) }
    }
}
