import Foundation
import SiaranArchive
import SiaranSearch
import Synchronization

/// A search index that passes every call to another and keeps the probes it was asked: what a test
/// checks of how a search reads, not only of what it finds. `rewrite` changes the probes passed on
/// (not those kept), e.g. to say what the vocabulary would count at scale (`AtScale`).
final class RecordingIndex: SearchIndex, Sendable {
    let base: any SearchIndex
    private let rewrite: @Sendable ([CandidateProbe]) -> [CandidateProbe]
    private let asked = Mutex<[CandidateProbe]>([])

    init(_ base: any SearchIndex, rewrite: @escaping @Sendable ([CandidateProbe]) -> [CandidateProbe] = { $0 }) {
        self.base = base
        self.rewrite = rewrite
    }

    var probes: [CandidateProbe] { asked.withLock { $0 } }

    func vocabulary(_ request: VocabularyRequest) async throws -> Vocabulary { try await base.vocabulary(request) }
    func candidates(_ request: CandidateRequest) async throws -> [CandidateList] {
        asked.withLock { $0 += request.probes }
        var passed = request
        passed.probes = rewrite(request.probes)
        return try await base.candidates(passed)
    }
    var batchesProbes: Bool { base.batchesProbes }
    func indexedSessions() async throws -> [String: IndexedState] { try await base.indexedSessions() }
    func replace(_ sessions: [IndexedSession], freshAfter: Date?) async throws { try await base.replace(sessions, freshAfter: freshAfter) }
    func remove(_ ids: [String]) async throws { try await base.remove(ids) }
    func lastScan() async throws -> ArchiveScan { try await base.lastScan() }
    func setLastScan(_ scan: ArchiveScan) async throws { try await base.setLastScan(scan) }
    func staleEntries() async throws -> Int { try await base.staleEntries() }
    func needsCompaction() async throws -> Bool { try await base.needsCompaction() }
    func clear() async throws { try await base.clear() }
    func optimize() async throws { try await base.optimize() }
    func entryCount() async throws -> Int { try await base.entryCount() }
    func similarWords(to word: String, maxDistance: Int, limit: Int) async throws -> [IndexedWord] {
        try await base.similarWords(to: word, maxDistance: maxDistance, limit: limit)
    }
    func rows(holding word: String) async throws -> Int { try await base.rows(holding: word) }
    func knownNames(_ field: FilterField) async throws -> [KnownName] { try await base.knownNames(field) }
}
