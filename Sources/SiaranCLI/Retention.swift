import ArgumentParser
import Foundation
import SiaranArchive
import SiaranCore
import SiaranSearch

/// `siaran retention`: the office's retention policy (kept in `<archive>/.retention.json`), what its
/// next run deletes, and the run itself (`apply`; `siaran serve` also runs it daily).
public struct Retention: ParsableCommand {
    public init() {}

    public static let configuration = CommandConfiguration(
        abstract: "Show or set the archive's retention policy, preview what it deletes (--dry-run), or delete it now (apply).",
        discussion: """
            siaran retention --keep 365d --budget 500G sets the policy (--keep: 365d, 52w, 1y; --budget: K, M, G, T, decimal; \
            "none" clears one; --off clears both). Sessions older than --keep go, then the oldest while the sessions take more than \
            --budget. Never a session being recorded, a pinned one (siaran pin), or one of the --keep-newest newest (default 3). \
            siaran retention (or --dry-run) lists what the next run deletes, oldest first; apply deletes the media and the catalog \
            rows (the archive's catalog and, for a connected office, the shared one) and siaran serve runs it daily.
            Examples: siaran retention --keep 1y --budget 500G; siaran retention --dry-run; siaran retention apply.
            """)

    @Argument(help: ArgumentHelp("apply: delete now what the policy says.", valueName: "apply")) var action: String?
    @OptionGroup var archive: ArchiveOptions
    @OptionGroup var catalog: CatalogOptions
    @OptionGroup var office: OfficeOptions
    @Option(help: ArgumentHelp("Keep sessions this long: 365d, 52w or 1y (none: no age limit).", valueName: "age")) var keep: String?
    @Option(help: ArgumentHelp("The sessions' disk budget: 500G, 1.5T (none: no budget).", valueName: "size")) var budget: String?
    @Option(help: ArgumentHelp("The newest sessions never deleted (default 3).", valueName: "n")) var keepNewest: Int?
    @Flag(help: "Clear the policy: nothing is deleted.") var off = false
    @Flag(help: "List what the next run deletes, and delete nothing.") var dryRun = false
    @Flag(help: "Print JSON (the policy and the plan; with apply, what was done).") var json = false

    var setting: Bool { keep != nil || budget != nil || keepNewest != nil || off }

    public func validate() throws {
        if let action, action != "apply" { throw ValidationError("unknown action '\(TerminalText.safe(action))': the only one is apply (siaran retention apply)") }
        if action != nil && (setting || dryRun) { throw ValidationError("apply runs the saved policy: set it first (siaran retention --keep … --budget …), then apply") }
        if off && (keep != nil || budget != nil || keepNewest != nil) { throw ValidationError("--off clears the policy: give it alone") }
        if let keep, keep != "none", case .failure(let error) = Result(catching: { try RetentionPolicy.parseKeep(keep) }) { throw ValidationError("\(error)") }
        if let budget, budget != "none", case .failure(let error) = Result(catching: { try RetentionPolicy.parseBudget(budget) }) { throw ValidationError("\(error)") }
        if let keepNewest, !(0...10_000).contains(keepNewest) { throw ValidationError(RetentionError.badKeepNewest(keepNewest).description) }
    }

    public func run() throws {
        let store = archive.open()
        let time = try office.time()
        var policy: RetentionPolicy
        do { policy = try RetentionPolicy.load(store) } catch { throw CommandFailure("\(error)") }
        if setting {
            policy = off ? RetentionPolicy() : policy
            if let keep { policy.keepDays = try keep == "none" ? nil : RetentionPolicy.parseKeep(keep) }
            if let budget { policy.budgetBytes = try budget == "none" ? nil : RetentionPolicy.parseBudget(budget) }
            if let keepNewest { policy.keepNewest = keepNewest }
            policy.setBy = Tagger.author
            policy.setAt = Date()
            try policy.save(in: store)
            if !json { print(policy.isActive ? "retention policy of \(store.root) saved (siaran retention apply, or siaran serve daily, applies it)" : "retention is off for \(store.root): nothing is deleted") }
        }
        if action == "apply" { return try apply(store, policy: policy, time: time) }
        let plan = RetentionPlan.make(store, policy: policy)
        if json {
            print(String(decoding: try JSONCoding.encoder(zone: time.zone).encode(plan), as: UTF8.self))
        } else {
            print(RetentionText(time: time).plan(plan))
        }
    }

    func apply(_ store: Archive, policy: RetentionPolicy, time: OfficeTime) throws {
        let console = Console()
        guard policy.isActive || !RetentionStaging(archive: store).staged().isEmpty else {
            throw CommandFailure("\(store.root) has no retention policy: nothing to delete (set one with siaran retention --keep 365d and/or --budget 500G)")
        }
        try catalog.select(archive: store)
        var engines: [any SearchIndexEngine] = []
        if let own = CommandEnvironment.localEngine { engines.append(own) }
        var outOfReach = false
        let chosen = try CommandEnvironment.searchEngine
        if chosen is any SharedCatalogEngine {
            if let url = CommandEnvironment.sharedCatalogURL, !CatalogReachability.answers(url) {
                outOfReach = true
                console.warn("the shared catalog is out of reach: sessions leave the archive and its own catalog now, and their media is removed by a later run once the shared catalog has dropped them")
            } else {
                engines.append(chosen)
            }
        }
        let run = RetentionRun(archive: store, engines: engines, sharedOutOfReach: outOfReach, logger: console.logger(label: "siaran.retention"))
        let outcome = try AsyncBridge.wait { await run.apply(policy: policy, by: Tagger.author) }
        if json {
            print(String(decoding: try JSONCoding.encoder(zone: time.zone).encode(outcome), as: UTF8.self))
            return
        }
        print(RetentionText(time: time).outcome(outcome))
        if !outcome.waiting.isEmpty { throw ExitCode(3) }
    }
}

/// `siaran pin SESSION`: retention never deletes it.
public struct Pin: ParsableCommand {
    public init() {}
    public static let configuration = CommandConfiguration(abstract: "Pin a session: retention never deletes it (siaran unpin undoes it).")
    @Argument(help: "Session id or a unique part of it.") var session: String
    @OptionGroup var archive: ArchiveOptions

    public func run() throws { try Self.set(archive.open(), session, pinned: true) }

    static func set(_ store: Archive, _ session: String, pinned: Bool) throws {
        let id = try store.resolve(session)
        try SessionManager(archive: store).pin(id, pinned, by: Tagger.author)
        print(pinned ? "pinned \(id): retention never deletes it" : "unpinned \(id): retention may delete it when the policy says so")
    }
}

/// `siaran unpin SESSION`.
public struct Unpin: ParsableCommand {
    public init() {}
    public static let configuration = CommandConfiguration(abstract: "Unpin a session: retention may delete it again when the policy says so.")
    @Argument(help: "Session id or a unique part of it.") var session: String
    @OptionGroup var archive: ArchiveOptions

    public func run() throws { try Pin.set(archive.open(), session, pinned: false) }
}
