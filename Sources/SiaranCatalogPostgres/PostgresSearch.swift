import Foundation
import Logging
import PostgresNIO
import SiaranSearch

// The shared catalog's answers to a search's questions (`SearchPlan` asks them, scores, crowds and
// makes snippets for every engine), each in one statement, so that a search is two round trips (three
// when a clause is said so often that nearby moments look inside sessions one by one):
//
// - the vocabulary: rows counted, document frequencies, prefix completions, filter names and labels;
// - every probe at once: a UNION ALL with one arm per probe, each the newest matching rows (`ORDER BY
//   id DESC`, ids count up), capped per session and then per office with window functions; phrases
//   are matched in order by the tsquery (`<->`, positions kept), so no text is checked in Swift.
//   A capped probe reads either the newest `maximumScanned` matches at most (as the SQLite catalog's
//   scan caps them: rare words, and words in few rows of a session), or, for dense words in cues,
//   each session's newest few matches, session by session newest first (`maximumSessions` at most):
//   the same rows, without reading and windowing thousands of matches of a few sessions.
extension PostgresCatalog {
    /// How many matching rows a capped probe reads at most (as the SQLite scan).
    static let maximumScanned = 20_000

    func vocabulary(_ request: VocabularyRequest, on connection: PostgresConnection) async throws -> Vocabulary {
        var query = PostgresQuery(unsafeSQL: """
            SELECT 'total', '', coalesce(sum(numbered), 0)::bigint, count(*) FILTER (WHERE numbered > 0)::bigint, NULL::text[], 0::bigint
            FROM office WHERE NOT row_security_active('term') OR siaran_sees_office(name)
            UNION ALL SELECT 'stem', token, sum(stem_docs)::bigint, 0, NULL, 0 FROM term WHERE token = ANY($1) AND stem_docs > 0 GROUP BY token
            UNION ALL SELECT 'exact', token, sum(exact_docs)::bigint, 0, NULL, 0 FROM term WHERE token = ANY($2) AND exact_docs > 0 GROUP BY token
            UNION ALL SELECT 'prefix', p.low, coalesce(c.docs, 0)::bigint, 0, coalesce(c.words, '{}'), 0
                FROM unnest($3::text[], $4::text[]) AS p(low, high) CROSS JOIN LATERAL (
                    SELECT array_agg(token ORDER BY n DESC, token) AS words, sum(n) AS docs FROM (
                        SELECT token, sum(exact_docs) AS n FROM term WHERE token >= p.low AND token < p.high AND exact_docs > 0
                        GROUP BY token ORDER BY sum(exact_docs) DESC, token LIMIT \(SearchPlan.prefixExpansions)) t) c
            UNION ALL SELECT kind, name, number, 0, aliases, row_number() OVER (ORDER BY name, office) FROM label WHERE kind = ANY($5)
            UNION ALL SELECT 'topic', text, 0, 0, NULL, row_number() OVER (ORDER BY text)
                FROM (SELECT DISTINCT text FROM entry WHERE $6 AND kind = \(MatchKind.topic.rawValue)) t
            """)
        let prefixes = request.prefixes.sorted()
        query.binds.append(Array(request.stems))
        query.binds.append(Array(request.words))
        query.binds.append(prefixes)
        query.binds.append(prefixes.map { $0 + "\u{10FFFF}" })
        query.binds.append(request.names.filter { $0 != .topic }.map(\.rawValue))
        query.binds.append(request.names.contains(.topic))
        var vocabulary = Vocabulary()
        var labels: [(kind: String, order: Int64, label: Vocabulary.Label)] = []
        var topics: [(order: Int64, name: String)] = []
        for try await (what, key, number, count, words, order) in try await counted(query, on: connection)
            .decode((String, String, Int64, Int64, [String]?, Int64).self) {
            switch what {
            case "total": vocabulary.total = Double(max(1, number)); vocabulary.offices = Int(count)
            case "stem": vocabulary.stemDocs[key] = Int(number)
            case "exact": vocabulary.exactDocs[key] = Int(number)
            case "prefix": vocabulary.completions[key] = words ?? []; vocabulary.completionDocs[key] = Int(number)
            case "topic": topics.append((order, key))
            default: labels.append((what, order, Vocabulary.Label(number: number, name: KnownName(name: key, aliases: words ?? []))))
            }
        }
        for word in request.words where vocabulary.exactDocs[word] == nil { vocabulary.exactDocs[word] = 0 }
        for stem in request.stems where vocabulary.stemDocs[stem] == nil { vocabulary.stemDocs[stem] = 0 }
        for field in request.names {
            if field == .topic { vocabulary.names[field] = topics.sorted { $0.order < $1.order }.map { KnownName(name: $0.name) }; continue }
            let mine = labels.filter { $0.kind == field.rawValue }.sorted { $0.order < $1.order }.map(\.label)
            vocabulary.labels[field] = mine
            vocabulary.names[field] = Self.merged(mine.map(\.name))
        }
        return vocabulary
    }

    /// One name per label name (in order), its aliases gathered from every office it is known in.
    static func merged(_ names: [KnownName]) -> [KnownName] {
        var merged: [KnownName] = []
        for name in names {
            if merged.last?.name == name.name {
                for alias in name.aliases where !merged[merged.count - 1].aliases.contains(alias) { merged[merged.count - 1].aliases.append(alias) }
            } else {
                merged.append(name)
            }
        }
        return merged
    }

    /// `viewer`: the office whose view the connection reads with (nil: the role's own), which says
    /// whether that view is a part of the catalog (`seesPart`).
    func candidates(_ request: CandidateRequest, on connection: PostgresConnection, viewer: String?) async throws -> [CandidateList] {
        let part = await seesPart(viewer: viewer)
        var lists = [CandidateList](repeating: CandidateList(rows: [], capped: false), count: request.probes.count)
        // A capped probe reads a bounded part of its matches first; only when its read stopped at
        // that bound and left it short does a second statement read a wider part.
        let cut = try await answer(request, probes: Array(request.probes.indices), wide: false, part: part, into: &lists, on: connection)
        let short = cut.filter { lists[$0].rows.count < request.probes[$0].want }
        if !short.isEmpty {
            // A short read that no cap cut found fewer matches than a page in the sessions it read: if its
            // words are several, they are rare together (`combinesWords`). One a cap cut had more.
            let rareTogether = short.filter { !lists[$0].capped }
            for probe in short { lists[probe] = CandidateList(rows: [], capped: false) }
            _ = try await answer(request, probes: short.sorted(), wide: true, rareTogether: rareTogether, part: part, into: &lists, on: connection)
        }
        return lists
    }

    /// Matches a capped probe reads at first when its words are frequent (newest first).
    static let boundedScan = 2_000
    /// Sessions a capped probe of dense words reads at first (newest first), and at most.
    static let boundedSessions = 50
    static let maximumSessions = 2_000

    /// The one statement that answers some probes, with what its answer says of each probe's read.
    struct Statement {
        var query: PostgresQuery
        /// How far each capped probe reads at first; the probes read session by session.
        var bounds: [Int: Int]
        var dense: Set<Int>
        /// The sets of matching rows read once, and which probes read them.
        var shared: SharedSets
    }

    /// Answers these probes in one statement; the capped probes whose read stopped at its bound.
    private func answer(_ request: CandidateRequest, probes numbers: [Int], wide: Bool, rareTogether: Set<Int> = [], part: Bool,
                        into lists: inout [CandidateList], on connection: PostgresConnection) async throws -> Set<Int> {
        var cut = Set<Int>()
        guard let statement = statement(request, probes: numbers, wide: wide, rareTogether: rareTogether, part: part) else { return cut }
        let (query, bounds, dense) = (statement.query, statement.bounds, statement.dense)
        for try await (probe, ok, scanned, id, session, title, startedAt, kind, start, text, speaker, agenda, office, mediaURL) in try await counted(query, on: connection)
            .decode((Int64, Bool, Int64, Int64, String, String, Double, Int16, Double, String, String?, String?, String, String?).self) {
            if let bound = bounds[Int(probe)], scanned >= bound { cut.insert(Int(probe)) }
            guard ok else { lists[Int(probe)].capped = true; continue }
            lists[Int(probe)].rows.append(Candidate(id: id, session: session, title: title, startedAt: Date(timeIntervalSince1970: startedAt),
                                               kind: MatchKind(rawValue: Int(kind)) ?? .note, seconds: start, speaker: speaker, agenda: agenda,
                                               text: text, office: office, playFrom: mediaURL))
        }
        // A session-by-session read that found nothing says nothing of how far it read: read wider.
        if !wide { cut.formUnion(dense.filter { lists[$0].rows.isEmpty && !lists[$0].capped }) }
        return cut
    }

    /// The statement that answers these probes (nil: none can match); `rareTogether`: the wide read's
    /// probes whose first read came up short with no cap cutting it; `part`: the connection's view is a
    /// part of the catalog (`PostgresPartView.swift`), so a page of dense words is read from its sessions;
    /// `narrowBelow`: up to how many rows a part view's sessions may hold for its reads of matches to be
    /// narrowed to them (`partNarrowRows`; tests lower it).
    func statement(_ request: CandidateRequest, probes numbers: [Int], wide: Bool, rareTogether: Set<Int> = [], part: Bool = false,
                   narrowBelow: Int = partNarrowRows) -> Statement? {
        var query = PostgresQuery(unsafeSQL: "")
        func bind(_ value: some PostgresNonThrowingEncodable & Sendable) -> String {
            query.binds.append(value)
            return "$\(query.binds.count)"
        }
        func tsquery(_ probe: CandidateProbe, exactOnly: Bool) -> String? {
            let parts = probe.terms.map { PostgresTokens.of($0, exactOnly: exactOnly, completions: request.completions, analyzer: analyzer) }
            if parts.contains(where: { $0 == nil }) { return nil }
            let excluded = probe.excluded.compactMap { PostgresTokens.of($0, exactOnly: false, completions: request.completions, analyzer: analyzer) }
            return "(" + parts.map { $0! }.joined(separator: " & ") + ")" + (excluded.isEmpty ? "" : " & !(" + excluded.joined(separator: " | ") + ")")
        }
        func sessions(_ scope: CandidateScope) -> String {
            var sessions = "true"
            if let id = scope.session { sessions += " AND id = \(bind(id))" }
            if let office = scope.office { sessions += " AND office = \(bind(office))" }
            if let since = scope.since { sessions += " AND started_at >= \(bind(since.timeIntervalSince1970))" }
            if let until = scope.until { sessions += " AND started_at < \(bind(until.timeIntervalSince1970))" }
            for stem in scope.topicStems ?? [] { sessions += " AND number IN (SELECT session FROM topic WHERE stem = \(bind(stem)))" }
            return sessions
        }
        func labels(_ scope: CandidateScope) -> String {
            (scope.speakers.map { " AND speaker = ANY(\(bind($0)))" } ?? "") + (scope.agendas.map { " AND agenda = ANY(\(bind($0)))" } ?? "")
        }
        let asked = numbers.compactMap { number -> (Int, CandidateProbe, String, String)? in
            let probe = request.probes[number]
            guard let own = tsquery(probe, exactOnly: probe.exact) else { return nil }
            return (number, probe, own, tsquery(probe, exactOnly: false) ?? own)
        }
        // The sets of few matching rows that several arms read (`PostgresSearchShared`), each read once
        // through the word index, never once for each session of the scope: an office's or a session's
        // rows (a few sessions) as one read of `entry_session` that the word index's read is ANDed
        // with, so that only their matches are fetched; dates (maybe most sessions) checked on the matches.
        let shared = SharedSets(asked)
        func narrowed(_ scope: CandidateScope) -> String {
            guard scope.narrowsSessions else { return "" }
            let few = scope.office != nil || scope.session != nil
            return few ? " AND session = ANY (ARRAY(SELECT number FROM session WHERE \(sessions(scope))))"
                : " AND session + 0 IN (SELECT number FROM session WHERE \(sessions(scope)))"
        }
        // A part view (`part`: an office's role, say) narrows such a read to the sessions `session` shows it,
        // when they hold few rows (`partNarrowRows`): the word index knows no row-level security and hands
        // over every office's matches for the policies to drop on the heap (5M cues: 49,209 of 50,112 for one
        // office's phrase, 131 ms, 14 s from a cold cache). Each scope's sessions listed once (`visible_N`);
        // of the two branches, the one its count rules out is never run (a one-time filter).
        var visible = StatementReads<CandidateScope>("visible")
        func partRead(_ select: String, _ scope: CandidateScope) -> String {
            guard part, scope.office == nil, scope.session == nil else { return select + narrowed(scope) }
            let name = visible.name(scope) { """
                SELECT array_agg(number) AS numbers, coalesce(sum(last_doc - first_doc + 1), 0) <= \(narrowBelow) AS few
                  FROM session WHERE \(sessions(scope))
                """ }
            return """
                SELECT * FROM (\(select) AND session = ANY ((SELECT numbers FROM \(name))::bigint[]) AND (SELECT few FROM \(name))
                  UNION ALL \(select)\(narrowed(scope)) AND NOT (SELECT few FROM \(name))) v
                """
        }
        let with = shared.sets.map { set in
            let exact = set.exact.enumerated().map { ", tokens @@ \(bind($0.element))::tsquery AS exact_\($0.offset)" }.joined()
            return """
                \(set.name) AS MATERIALIZED (\(partRead("""
                  SELECT id, session, kind\(exact) FROM entry WHERE tokens @@ \(bind(set.tsquery))::tsquery
                  AND kind IN (\(set.kinds.sorted().map(String.init).joined(separator: ", ")))\(labels(set.scope))
                  """, set.scope)))
                """
        }
        // The probes of several words read session by session (below), sharing one read where they ask the
        // same words (`PostgresSearchSessionReads`): capped ones, and pages in a narrowed scope or a part view.
        let bound = wide ? Self.maximumSessions : Self.boundedSessions
        let sessionReads = SessionReads(asked.compactMap { number, probe, own, stems in
            guard shared.reads[number] == nil, !(wide && rareTogether.contains(number) && Self.combinesWords(probe)) else { return nil }
            if let perSession = probe.perSession {
                return Self.dense(probe, each: perSession + 1) ? (number, probe, own, stems, perSession + 1) : nil
            }
            let few = probe.matches.map { $0 <= Self.boundedScan } == true
            guard probe.perOffice == nil, probe.scope.narrowsSessions || part, !few, probe.kinds.isSubset(of: [.caption, .transcript]) else { return nil }
            return (number, probe, own, stems, probe.want)
        })
        // Each list of the newest sessions holding some kinds (a mask of `MatchKind` numbers) in a scope, read
        // once for every arm that reads it (and counts it): under row-level security a role that sees part of
        // the catalog reads the whole `session` table for each (4 ms at 3,096 sessions, two per arm).
        struct ListKey: Hashable {
            var mask: Int
            var scope: CandidateScope
        }
        var newestLists = StatementReads<ListKey>("newest")
        func sessionList(_ mask: Int, _ scope: CandidateScope) -> String {
            newestLists.name(ListKey(mask: mask, scope: scope)) { """
                SELECT number, office, first_doc, last_doc FROM session WHERE (kinds IS NULL OR kinds & \(mask) <> 0)
                  AND \(sessions(scope)) ORDER BY last_doc DESC LIMIT \(bound)
                """ }
        }
        let groupReads = sessionReads.groups.map { group in
            let ownLists = group.masks.map { mask in "(SELECT \(mask) AS mask, number, office, first_doc, last_doc FROM \(sessionList(mask, group.scope)))" }
            // Each row with its rank among the read's rows (`r`) and, for each exact form, whether it holds
            // it, its rank among those that do (`r_N`) and how many of the read's rows do (`x_N`).
            let marks = group.exact.indices.map { ", exact_\($0), count(*) FILTER (WHERE exact_\($0)) OVER (ORDER BY id DESC) AS r_\($0), "
                + "count(*) FILTER (WHERE exact_\($0)) OVER () AS x_\($0)" }.joined()
            let exact = group.exact.enumerated().map { ", ts_match_vq(tokens, \(bind($0.element))::tsquery) AS exact_\($0.offset)" }.joined()
            return """
                \(group.name)_sessions AS MATERIALIZED (\(ownLists.joined(separator: " UNION ALL "))),
                \(group.name) AS MATERIALIZED (SELECT s.number, s.mask, s.office, m.* FROM \(group.name)_sessions s
                  CROSS JOIN LATERAL (SELECT id, count(*) OVER () AS n, row_number() OVER (ORDER BY id DESC) AS r\(marks) FROM (
                    SELECT id\(exact) FROM entry WHERE id BETWEEN s.first_doc AND s.last_doc AND session + 0 = s.number
                      AND ts_match_vq(tokens, \(bind(group.stems))::tsquery)
                      AND (s.mask >> kind) & 1 = 1\(labels(group.scope))
                    ORDER BY id DESC LIMIT \(group.each)) e) m)
                """
        }
        var arms: [String] = []
        var bounds: [Int: Int] = [:]
        var dense = Set<Int>()
        for (number, probe, tsquery, _) in asked {
            // The kinds written out (numbers of `MatchKind`), so that the planner sees them: a probe of
            // the few non-cue rows reads `entry_tokens_fields`.
            let kinds = probe.kinds.map(\.rawValue).sorted()
            if kinds.isEmpty { continue }
            let kindFilter = "kind IN (\(kinds.map(String.init).joined(separator: ", ")))"
            let read = shared.reads[number]
            // A shared set holds only rows of the scope and labels: its arms check their kinds (and exactness).
            let rowFilter = read.map { r in kindFilter + (r.column.map { " AND \($0)" } ?? "") }
                ?? "tokens @@ \(bind(tsquery))::tsquery AND \(kindFilter)\(labels(probe.scope))"
            let table = read.map { shared.sets[$0.set].name } ?? "entry"
            let scope = probe.scope
            let inScope = sessions(scope)
            var matching = "SELECT id, session FROM \(table) WHERE \(rowFilter)"
            if read == nil, part {
                matching = partRead(matching, scope)
            } else if scope.narrowsSessions, read == nil {
                matching += " AND session IN (SELECT number FROM session WHERE \(inScope))"
            }
            // The rows that are not cues are a few per session: all of a word's are read through
            // `entry_tokens_fields` and sorted (`id + 0`), never by reading the row ids' index backwards
            // past every cue, as the planner would for a frequent word.
            // So are a word's few matches (the planner cannot count a weighted tsquery's matches and would
            // read the whole table backwards for a rare word).
            let few = probe.matches.map { $0 <= Self.boundedScan } == true
            // Words rare together (their first read, of the newest sessions, came up short and no cap cut
            // it; `combinesWords`): their matches read once through the word index (as few matches are),
            // which ANDs the words' postings. A short read a cap cut (an office's cap, say) had matches to
            // spare: it stays session by session, as reading all of a dense pair's matches would cost more.
            let together = wide && read == nil && rareTogether.contains(number) && Self.combinesWords(probe)
            let newestFirst = read == nil && (few || together || probe.kinds.isDisjoint(with: [.caption, .transcript])) ? "ORDER BY id + 0 DESC" : "ORDER BY id DESC"
            // Session by session, newest first (ids count up, a session's rows in its block): each
            // session's newest `each` rows, read backwards through the row ids' index (`session + 0`:
            // not through `entry_session`, which would read all of the session's rows and sort them).
            // (Lazy: only the arms that read sessions name a list.)
            lazy var newest = "SELECT number, office, first_doc, last_doc FROM \(sessionList(kinds.reduce(0) { $0 | 1 << $1 }, scope))"
            func bySession(_ each: Int) -> String {
                // A shared set's rows of these sessions, each session's newest `each`: the same rows.
                if let read { return """
                    SELECT id, office, r FROM (SELECT m.id, s.office, row_number() OVER (PARTITION BY m.session ORDER BY m.id DESC) AS r
                      FROM (\(newest)) s JOIN \(shared.sets[read.set].name) m ON m.session = s.number WHERE \(rowFilter)) m WHERE r <= \(each)
                    """ }
                // The words tested on each row read (`ts_match_vq`: what `@@` calls, never answered through an
                // index), not looked up in the word index: with `tokens @@`, the planner ANDs a frequent word's
                // postings (the whole table's) with each session's block of ids, once per session.
                func ownRead(_ sessions: String) -> String { """
                    SELECT m.id, s.office, m.r FROM \(sessions) CROSS JOIN LATERAL (
                      SELECT id, row_number() OVER (ORDER BY id DESC) AS r FROM entry
                      WHERE id BETWEEN s.first_doc AND s.last_doc AND session + 0 = s.number AND ts_match_vq(tokens, \(bind(tsquery))::tsquery)
                        AND \(kindFilter)\(labels(probe.scope)) ORDER BY id DESC LIMIT \(each)) m
                    """ }
                // A read shared with other probes: its rows of each session where it read all this probe needs,
                // this probe's own read of the others (`OFFSET 0`: those sessions chosen before any is read).
                if let grouped = sessionReads.reads[number] {
                    let (group, mask) = (sessionReads.groups[grouped.group], grouped.mask)
                    // By stem: the read's rows are the session's newest matches, all of them when fewer.
                    guard let column = grouped.column else { return "SELECT id, office, r FROM \(group.name) WHERE mask = \(mask)" }
                    // By exact forms: where the read's rows are all exact, or all of the session's matches.
                    let n = column.dropFirst("exact_".count)
                    let short = "SELECT number FROM \(group.name) WHERE mask = \(mask) AND n >= \(group.each) AND x_\(n) < \(each)"
                    return """
                        SELECT id, office, r_\(n) AS r FROM \(group.name) WHERE mask = \(mask) AND \(column) AND (n < \(group.each) OR x_\(n) >= \(each))
                        UNION ALL \(ownRead("(SELECT * FROM \(group.name)_sessions WHERE mask = \(mask) AND number IN (\(short)) OFFSET 0) s"))
                        """
                }
                return ownRead("(\(newest)) s")
            }
            guard probe.perSession != nil || probe.perOffice != nil else {
                // A word said often within an office or a date range (or in a view of a part of the catalog):
                // its sessions' newest rows, not the newest rows of every office until enough are the office's.
                if scope.narrowsSessions || part, !few, !together, probe.kinds.isSubset(of: [.caption, .transcript]) {
                    arms.append("""
                        (SELECT \(number)::bigint AS probe, id, true AS ok, (SELECT count(*) FROM (\(newest)) z) AS scanned
                         FROM (SELECT id FROM (\(bySession(probe.want))) b ORDER BY id DESC LIMIT \(probe.want)) m)
                        """)
                    bounds[number] = bound
                    dense.insert(number)
                } else if !wide, read == nil, !few, Self.combinesWords(probe), probe.kinds.isSubset(of: [.caption, .transcript]) {
                    // Several words of unknown density together (`newestRowsRead`): the newest rows tested one by
                    // one; too few matches there send it to the wide read, through the word index. Over all sessions
                    // of a whole view only: a narrowed scope or a view of a part of the catalog (`part`; under
                    // row-level security the newest rows it sees may lie behind millions of other offices' rows,
                    // walked one by one) reads session by session above.
                    arms.append("""
                        (SELECT \(number)::bigint AS probe, id, true AS ok, \(Self.newestRowsRead)::bigint AS scanned FROM (
                          SELECT id, session FROM (SELECT id, session, tokens, speaker, agenda FROM entry WHERE \(kindFilter)
                            ORDER BY id DESC LIMIT \(Self.newestRowsRead)) r
                          WHERE ts_match_vq(tokens, \(bind(tsquery))::tsquery)\(labels(probe.scope)) ORDER BY id DESC LIMIT \(probe.want)) m)
                        """)
                    bounds[number] = Self.newestRowsRead
                    dense.insert(number)
                } else {
                    arms.append("(SELECT \(number)::bigint AS probe, id, true AS ok, 0::bigint AS scanned FROM (\(matching) \(newestFirst) LIMIT \(probe.want)) m)")
                }
                continue
            }
            // Each row with whether the session cap keeps it (`ok`), newest first, and how much was read.
            let rows: String, scanned: String
            if let perSession = probe.perSession, !together, Self.dense(probe, each: perSession + 1) {
                // One row more than the cap of each session, to know whether the cap left rows out.
                rows = "SELECT id, office, r <= \(perSession) AS ok FROM (\(bySession(perSession + 1))) m"
                scanned = "(SELECT count(*) FROM (\(newest)) z)"
                bounds[number] = bound
                dense.insert(number)
            } else {
                // Few matches are read all at once (the word index), many newest first (the row ids' index).
                let scan = wide ? Self.maximumScanned : Self.boundedScan
                let matches = probe.matches.map { $0 <= Self.boundedScan } == true ? matching : "\(matching) \(newestFirst) LIMIT \(scan)"
                let perSession = probe.perSession.map { "row_number() OVER (PARTITION BY m.session ORDER BY m.id DESC) <= \($0)" } ?? "true"
                rows = "SELECT m.id, s.office, \(perSession) AS ok FROM (\(matches)) m JOIN session s ON s.number = m.session"
                scanned = "count(*) OVER ()"
                bounds[number] = Self.boundedScan
            }
            // Then the newest rows of each office among them; a left-out row newer than the last row
            // taken says that a cap left rows out.
            let perOffice = probe.perOffice.map { " AND row_number() OVER (PARTITION BY office, ok ORDER BY id DESC) <= \($0)" } ?? ""
            arms.append("""
                (SELECT \(number)::bigint AS probe, id, ok, scanned FROM (
                  SELECT id, ok, count(*) FILTER (WHERE ok) OVER (ORDER BY id DESC) AS taken, row_number() OVER (PARTITION BY ok ORDER BY id DESC) AS k,
                         \(scanned) AS scanned
                  FROM (SELECT id, ok\(perOffice) AS ok FROM (\(rows)) a) b) c
                 WHERE (ok AND taken <= \(probe.want)) OR (NOT ok AND k = 1 AND taken < \(probe.want)))
                """)
        }
        guard !arms.isEmpty else { return nil }
        let reads = visible.reads + with + newestLists.reads + groupReads
        query.sql = (reads.isEmpty ? "" : "WITH " + reads.joined(separator: ",\n") + "\n") + """
            SELECT c.probe, c.ok, c.scanned, e.id, s.id, s.title, s.started_at, e.kind, e.start, e.text, sp.name, ag.name, s.office, o.media_url
            FROM (\(arms.joined(separator: "\nUNION ALL "))) c CROSS JOIN LATERAL (SELECT * FROM entry WHERE id = c.id) e JOIN session s ON s.number = e.session
            JOIN office o ON o.name = s.office LEFT JOIN label sp ON sp.number = e.speaker LEFT JOIN label ag ON ag.number = e.agenda
            """
        return Statement(query: query, bounds: bounds, dense: dense, shared: shared)
    }
}
