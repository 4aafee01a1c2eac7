import Foundation

// The questions an engine answers for a search (`SearchIndex.vocabulary` and `candidates`): few and
// set-oriented, so that a networked engine answers each in one round trip. What is done with the
// answers (scoring, crowding, snippets, nearby moments, corrections) is `SearchPlan`'s, once for all
// engines.

/// What a search asks of the index's vocabulary before it reads any row.
public struct VocabularyRequest: Sendable, Equatable {
    /// Stems whose document frequencies weigh a match (`Ranking.inverseDocumentFrequency`).
    public var stems: Set<String> = []
    /// Words as typed: how many rows hold each exactly (and, through `stems`, by its stem) says
    /// whether the index has ever seen it (corrections).
    public var words: Set<String> = []
    /// prefix* terms to complete.
    public var prefixes: Set<String> = []
    /// The filters whose known names are wanted (speakers and agenda items with their labels).
    public var names: Set<FilterField> = []
    /// The office whose view answers (nil: the connection's own).
    public var viewer: String?

    public init() {}
}

/// An index's answer to a `VocabularyRequest`.
public struct Vocabulary: Sendable {
    /// Rows the asker's view counts (the N of the inverse document frequency).
    public var total: Double = 1
    /// Offices with indexed rows in the asker's view (office crowding applies when more than one).
    public var offices = 1
    /// Rows holding each asked stem (by any form), and each asked word in its exact form.
    public var stemDocs: [String: Int] = [:]
    public var exactDocs: [String: Int] = [:]
    /// Each asked prefix's most frequent exact completions (at most `SearchPlan.prefixExpansions`).
    public var completions: [String: [String]] = [:]
    /// Rows holding each asked prefix's completions (the sum of their exact counts: at most how many
    /// rows the prefix* matches; absent: unknown), so that an engine reads rare completions' few rows.
    public var completionDocs: [String: Int] = [:]
    /// Each asked filter's names (as `SearchIndex.knownNames` gives them).
    public var names: [FilterField: [KnownName]] = [:]
    /// The labels behind speaker and agenda names: an engine's own label numbers.
    public var labels: [FilterField: [Label]] = [:]

    public init() {}

    /// A speaker or agenda label of the index.
    public struct Label: Sendable {
        public var number: Int64
        public var name: KnownName

        public init(number: Int64, name: KnownName) {
            self.number = number
            self.name = name
        }
    }

    /// Rows holding `word` exactly or by its stem (0: never seen), as `SearchIndex.rows(holding:)`.
    func rows(holding word: String, analyzer: TextAnalyzer) -> Int {
        max(exactDocs[word] ?? 0, stemDocs[analyzer.stem(word)] ?? 0)
    }
}

/// Where a probe may look: the filters an engine applies itself, with names already turned into labels.
public struct CandidateScope: Sendable, Hashable {
    public var session: String?
    public var since: Date?
    public var until: Date?
    /// The stems every session's topic rows must hold (a topic filter).
    public var topicStems: [String]?
    public var office: String?
    /// Rows spoken by one of these labels / under one of these agenda labels.
    public var speakers: [Int64]?
    public var agendas: [Int64]?

    public init(session: String? = nil, since: Date? = nil, until: Date? = nil, topicStems: [String]? = nil, office: String? = nil,
                speakers: [Int64]? = nil, agendas: [Int64]? = nil) {
        self.session = session
        self.since = since
        self.until = until
        self.topicStems = topicStems
        self.office = office
        self.speakers = speakers
        self.agendas = agendas
    }

    /// Whether sessions are narrowed (by id, date, topic or office).
    public var narrowsSessions: Bool { session != nil || since != nil || until != nil || topicStems != nil || office != nil }
}

/// One question for rows: the newest rows of some kinds that hold every term (exactly, or by stem),
/// none of the excluded ones, within the scope; at most `perSession` of a session (its newest) and,
/// of those, at most `perOffice` of an office; `want` of them at most. A phrase holds its words in
/// order (a match by stem compares stems); an excluded phrase is excluded by stems.
public struct CandidateProbe: Sendable {
    public var terms: [SearchQuery.Term]
    public var exact: Bool
    public var excluded: [SearchQuery.Term]
    public var kinds: Set<MatchKind>
    public var want: Int
    public var perSession: Int?
    public var perOffice: Int?
    public var scope: CandidateScope
    /// At most how many rows hold every term, from the vocabulary (nil: unknown, a prefix): lets an
    /// engine choose between reading the matches newest first and reading them all.
    public var matches: Int?
    /// Rows in the asker's view (the vocabulary's total; nil: unknown): with `matches`, how densely
    /// the terms' rows lie, which tells an engine whether reading session by session pays.
    public var total: Int?

    public init(terms: [SearchQuery.Term], exact: Bool, excluded: [SearchQuery.Term], kinds: Set<MatchKind>, want: Int,
                perSession: Int?, perOffice: Int?, scope: CandidateScope, matches: Int? = nil, total: Int? = nil) {
        self.terms = terms
        self.exact = exact
        self.excluded = excluded
        self.kinds = kinds
        self.want = want
        self.perSession = perSession
        self.perOffice = perOffice
        self.scope = scope
        self.matches = matches
        self.total = total
    }

    /// The phrases among the terms.
    public var phrases: [[String]] { terms.compactMap { if case let .phrase(p) = $0 { return p } else { return nil } } }
    public var excludedPhrases: [[String]] { excluded.compactMap { if case let .phrase(p) = $0 { return p } else { return nil } } }
}

/// Probes asked together (one round trip), with the prefix completions their terms expand to.
public struct CandidateRequest: Sendable {
    public var probes: [CandidateProbe]
    public var completions: [String: [String]]
    public var viewer: String?

    public init(probes: [CandidateProbe], completions: [String: [String]], viewer: String?) {
        self.probes = probes
        self.completions = completions
        self.viewer = viewer
    }
}

/// A row an engine found, with what scoring and a hit need.
public struct Candidate: Sendable {
    /// The engine's row id: larger is newer (ties of score are broken by it).
    public var id: Int64
    public var session: String
    public var title: String
    public var startedAt: Date
    public var kind: MatchKind
    public var seconds: Double
    public var speaker: String?
    public var agenda: String?
    public var text: String
    public var office: String?
    public var playFrom: String?

    public init(id: Int64, session: String, title: String, startedAt: Date, kind: MatchKind, seconds: Double, speaker: String?,
                agenda: String?, text: String, office: String? = nil, playFrom: String? = nil) {
        self.id = id
        self.session = session
        self.title = title
        self.startedAt = startedAt
        self.kind = kind
        self.seconds = seconds
        self.speaker = speaker
        self.agenda = agenda
        self.text = text
        self.office = office
        self.playFrom = playFrom
    }
}

/// A probe's answer: its rows (newest first) and whether a cap left out rows it would have taken.
public struct CandidateList: Sendable {
    public var rows: [Candidate]
    public var capped: Bool

    public init(rows: [Candidate], capped: Bool) {
        self.rows = rows
        self.capped = capped
    }
}
