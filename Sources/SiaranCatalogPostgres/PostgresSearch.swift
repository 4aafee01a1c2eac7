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
//   id DESC`, ids count up), capped per session and then per office with window functions over at most
//   `maximumScanned` matches, as the SQLite catalog's scan caps them; phrases are matched in order by
//   the tsquery (`<->`, positions kept), so no text is checked in Swift.
extension PostgresCatalog {
    /// How many matching rows a capped probe reads at most (as the SQLite scan).
    static let maximumScanned = 20_000

    func vocabulary(_ request: VocabularyRequest, on connection: PostgresConnection) async throws -> Vocabulary {
        var query = PostgresQuery(unsafeSQL: """
            SELECT 'total', '', coalesce(sum(numbered), 0)::bigint, count(*) FILTER (WHERE numbered > 0)::bigint, NULL::text[], 0::bigint
            FROM office WHERE NOT row_security_active('term') OR siaran_sees_office(name)
            UNION ALL SELECT 'stem', token, sum(docs)::bigint, 0, NULL, 0 FROM term WHERE NOT exact AND token = ANY($1) GROUP BY token
            UNION ALL SELECT 'exact', token, sum(docs)::bigint, 0, NULL, 0 FROM term WHERE exact AND token = ANY($2) GROUP BY token
            UNION ALL SELECT 'prefix', p.low, 0, 0, ARRAY(SELECT token FROM term WHERE exact AND token >= p.low AND token < p.high
                                                        GROUP BY token ORDER BY sum(docs) DESC, token LIMIT \(SearchPlan.prefixExpansions)), 0
                FROM unnest($3::text[], $4::text[]) AS p(low, high)
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
            case "prefix": vocabulary.completions[key] = words ?? []
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

    func candidates(_ request: CandidateRequest, on connection: PostgresConnection) async throws -> [CandidateList] {
        var lists = [CandidateList](repeating: CandidateList(rows: [], capped: false), count: request.probes.count)
        // A capped probe whose words are frequent reads its newest `boundedScan` matches first; only
        // when those left it short does a second statement read up to `maximumScanned`.
        let scans = try await answer(request, probes: Array(request.probes.indices), scan: Self.boundedScan, into: &lists, on: connection)
        let short = scans.filter { $0.value >= Self.boundedScan && lists[$0.key].rows.count < request.probes[$0.key].want }.map(\.key)
        if !short.isEmpty {
            for probe in short { lists[probe] = CandidateList(rows: [], capped: false) }
            _ = try await answer(request, probes: short.sorted(), scan: Self.maximumScanned, into: &lists, on: connection)
        }
        return lists
    }

    /// Matches a capped probe reads at first when its words are frequent.
    static let boundedScan = 2_000

    /// Answers these probes in one statement; how many matches each capped probe read.
    private func answer(_ request: CandidateRequest, probes numbers: [Int], scan: Int, into lists: inout [CandidateList],
                        on connection: PostgresConnection) async throws -> [Int: Int] {
        var query = PostgresQuery(unsafeSQL: "")
        func bind(_ value: some PostgresNonThrowingEncodable & Sendable) -> String {
            query.binds.append(value)
            return "$\(query.binds.count)"
        }
        var arms: [String] = []
        for number in numbers {
            let probe = request.probes[number]
            let parts = probe.terms.map { PostgresTokens.of($0, exactOnly: probe.exact, completions: request.completions, analyzer: analyzer) }
            if parts.contains(where: { $0 == nil }) { continue }
            let excluded = probe.excluded.compactMap { PostgresTokens.of($0, exactOnly: false, completions: request.completions, analyzer: analyzer) }
            let tsquery = "(" + parts.map { $0! }.joined(separator: " & ") + ")" + (excluded.isEmpty ? "" : " & !(" + excluded.joined(separator: " | ") + ")")
            var matching = "SELECT id, session FROM entry WHERE tokens @@ \(bind(tsquery))::tsquery AND kind = ANY(\(bind(probe.kinds.map { Int16($0.rawValue) }.sorted())))"
            let scope = probe.scope
            if scope.narrowsSessions {
                var sessions = "SELECT number FROM session WHERE true"
                if let id = scope.session { sessions += " AND id = \(bind(id))" }
                if let office = scope.office { sessions += " AND office = \(bind(office))" }
                if let since = scope.since { sessions += " AND started_at >= \(bind(since.timeIntervalSince1970))" }
                if let until = scope.until { sessions += " AND started_at < \(bind(until.timeIntervalSince1970))" }
                for stem in scope.topicStems ?? [] { sessions += " AND number IN (SELECT session FROM topic WHERE stem = \(bind(stem)))" }
                matching += " AND session IN (\(sessions))"
            }
            if let speakers = scope.speakers { matching += " AND speaker = ANY(\(bind(speakers)))" }
            if let agendas = scope.agendas { matching += " AND agenda = ANY(\(bind(agendas)))" }
            guard probe.perSession != nil || probe.perOffice != nil else {
                arms.append("(SELECT \(number)::bigint AS probe, id, true AS ok, 0::bigint AS scanned FROM (\(matching) ORDER BY id DESC LIMIT \(probe.want)) m)")
                continue
            }
            // The newest rows of each session, then of each office among them; a left-out row newer
            // than the last row taken says that a cap left rows out. Few matches are read all at once
            // (the word index), many newest first (the row ids' index).
            let matches = probe.matches.map { $0 <= Self.boundedScan } == true ? matching : "\(matching) ORDER BY id DESC LIMIT \(scan)"
            let perSession = probe.perSession.map { "row_number() OVER (PARTITION BY m.session ORDER BY m.id DESC) <= \($0)" } ?? "true"
            let perOffice = probe.perOffice.map { " AND row_number() OVER (PARTITION BY office, ok ORDER BY id DESC) <= \($0)" } ?? ""
            arms.append("""
                (SELECT \(number)::bigint AS probe, id, ok, scanned FROM (
                  SELECT id, ok, count(*) FILTER (WHERE ok) OVER (ORDER BY id DESC) AS taken, row_number() OVER (PARTITION BY ok ORDER BY id DESC) AS k,
                         count(*) OVER () AS scanned
                  FROM (SELECT id, ok\(perOffice) AS ok FROM (
                    SELECT m.id, s.office, \(perSession) AS ok
                    FROM (\(matches)) m JOIN session s ON s.number = m.session) a) b) c
                 WHERE (ok AND taken <= \(probe.want)) OR (NOT ok AND k = 1 AND taken < \(probe.want)))
                """)
        }
        var scans: [Int: Int] = [:]
        guard !arms.isEmpty else { return scans }
        query.sql = """
            SELECT c.probe, c.ok, c.scanned, e.id, s.id, s.title, s.started_at, e.kind, e.start, e.text, sp.name, ag.name, s.office, o.media_url
            FROM (\(arms.joined(separator: "\nUNION ALL "))) c CROSS JOIN LATERAL (SELECT * FROM entry WHERE id = c.id) e JOIN session s ON s.number = e.session
            JOIN office o ON o.name = s.office LEFT JOIN label sp ON sp.number = e.speaker LEFT JOIN label ag ON ag.number = e.agenda
            """
        for try await (probe, ok, scanned, id, session, title, startedAt, kind, start, text, speaker, agenda, office, mediaURL) in try await counted(query, on: connection)
            .decode((Int64, Bool, Int64, Int64, String, String, Double, Int16, Double, String, String?, String?, String, String?).self) {
            scans[Int(probe)] = Int(scanned)
            guard ok else { lists[Int(probe)].capped = true; continue }
            lists[Int(probe)].rows.append(Candidate(id: id, session: session, title: title, startedAt: Date(timeIntervalSince1970: startedAt),
                                               kind: MatchKind(rawValue: Int(kind)) ?? .note, seconds: start, speaker: speaker, agenda: agenda,
                                               text: text, office: office, playFrom: mediaURL))
        }
        return scans
    }
}
