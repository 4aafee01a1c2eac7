import ArgumentParser
import Foundation
import SiaranAccounts
import SiaranArchive
import SiaranCore
import SiaranSearch

/// `siaran catalog …`: this office in a shared catalog — push its sessions, see every office's state,
/// add offices (the catalog's owner), share sessions with other offices.
public struct CatalogCommand: ParsableCommand {
    public init() {}

    public static let configuration = CommandConfiguration(
        commandName: "catalog",
        abstract: "Work with a shared catalog (--catalog postgres://… or $SIARAN_CATALOG): status, push, office, share, unshare.",
        discussion: """
            Each office indexes its sessions into the shared catalog under its name (--office) with its own database role; \
            row-level security lets a role see its office's sessions, those shared with it, or all of them for an office added \
            with --sees-all (the national team). Pushing is idempotent and resumable: a push cut short is finished by the next one.
            """,
        subcommands: [Connect.self, Disconnect.self, Status.self, Push.self, Office.self, Share.self, Unshare.self]
    )

    /// The shared engine `--catalog` names; refused without one.
    static func sharedEngine(_ options: CatalogOptions, archive: Archive? = nil) throws -> any SharedCatalogEngine {
        guard options.sharedURL != nil || archive.flatMap(CatalogSettings.load) != nil else {
            throw CommandFailure("no shared catalog named: give --catalog postgres://USER@HOST:PORT/DATABASE, set SIARAN_CATALOG, "
                                 + "or connect this archive once (siaran catalog connect --catalog … --office …)")
        }
        try options.select(archive: archive)
        if let url = CommandEnvironment.sharedCatalogURL, !CatalogReachability.answers(url) {
            throw CommandFailure("the shared catalog at \(Redaction.redact(url)) does not answer (no connection within \(Int(CatalogReachability.timeout)) s); "
                                 + "nothing was changed: try again when the network is back")
        }
        guard let engine = try CommandEnvironment.searchEngine as? any SharedCatalogEngine else {
            throw CommandFailure("this executable's catalog engine is not a shared one")
        }
        return engine
    }

    struct Connect: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Connect this archive to a shared catalog once: every later command and siaran serve push its sessions there.",
            discussion: "Kept in <archive>/.catalog.json (readable by its owner only). siaran serve then pushes new and changed sessions in the background; without a connection the office records and searches on its own and catches up later.")
        @OptionGroup var archive: ArchiveOptions
        @OptionGroup var catalog: CatalogOptions
        @Option(help: ArgumentHelp("A file whose first line is this office's link secret (the national administrator's copy signs the links "
                                   + "that open this office's player from the national search; openssl rand -hex 32 makes one).", valueName: "file"))
        var secretFile: String?

        func validate() throws {
            guard catalog.catalog != nil, catalog.office != nil else {
                throw ValidationError("give both --catalog postgres://USER@HOST:PORT/DATABASE and --office NAME")
            }
        }

        func run() throws {
            let store = archive.open()
            try store.prepare()
            let settings = CatalogSettings(catalog: catalog.catalog ?? "", office: catalog.office ?? "", catalogRead: catalog.catalogRead)
            try settings.save(in: store)
            if let secretFile {
                try accountWork {
                    var secrets = try LinkSecrets.load(store)
                    secrets.own = try LinkSecrets.read(file: secretFile)
                    try secrets.save(in: store)
                }
                print("siaran serve here accepts links signed with the secret of \(secretFile) (kept in \(LinkSecrets.path(in: store)))")
            }
            print("\(store.root) pushes to \(Redaction.redact(settings.catalog)) as office \(TerminalText.safe(settings.office)); siaran serve pushes in the background, siaran catalog push at once")
            if let read = settings.catalogRead { print("its searches read from the replica \(Redaction.redact(read)) while it answers and keeps up") }
        }
    }

    struct Disconnect: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Forget this archive's shared catalog (its sessions stay there until the office's push removes them).")
        @OptionGroup var archive: ArchiveOptions

        func run() throws {
            let store = archive.open()
            try CatalogSettings.remove(from: store)
            print("\(store.root) works on its own catalog only")
        }
    }

    struct Push: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Send this archive's new and changed sessions to the shared catalog, and remove the deleted ones.")
        @OptionGroup var archive: ArchiveOptions
        @OptionGroup var catalog: CatalogOptions
        @Option(help: ArgumentHelp("Where this office serves its media from (its siaran serve address), so other offices' hits play from there.",
                                   valueName: "url")) var mediaURL: String?

        func run() throws {
            let store = archive.open()
            let engine = try CatalogCommand.sharedEngine(catalog, archive: store)
            if let mediaURL {
                guard let parts = URLComponents(string: mediaURL), ["http", "https", "file"].contains(parts.scheme ?? ""), parts.password == nil else {
                    throw CommandFailure("--media-url must be an http(s):// or file:// address without a password (got \(Redaction.redact(mediaURL)))")
                }
                let admin = try engine.administration()
                try AsyncBridge.wait { try await admin.setMediaURL(mediaURL) }
            }
            let started = Date()
            // Straight to the shared catalog: a push that cannot reach it fails (the next one resumes).
            let push = try CatalogAccess.refresh(for: Console(), engine: engine)
            let index = try AsyncBridge.wait { try await push.refresh(store) }
            let count = try AsyncBridge.wait { try await index.indexedSessions().count }
            print("office \(engine.office): \(count) sessions in the shared catalog, up to date in \(Decimals.string(Date().timeIntervalSince(started), places: 1)) s")
        }
    }

    struct Office: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add an office, or change its role (the catalog's owner only).",
            discussion: "The role must exist (createuser --pwprompt ROLE); it is granted what an office needs, and row-level security limits it to its office.")
        @OptionGroup var catalog: CatalogOptions
        @Argument(help: "The office's name, as its archives give it with --office.") var name: String
        @Option(help: ArgumentHelp("The database role that acts as this office.", valueName: "role")) var role: String?
        @Flag(help: "The office sees every office's sessions (the national team).") var seesAll = false
        @Option(help: ArgumentHelp("Where the office serves its media from.", valueName: "url")) var mediaURL: String?
        @Option(help: ArgumentHelp("A file whose first line is the office's link secret: this (national) archive's siaran serve signs links "
                                   + "to the office's player with it; the office keeps the same secret (siaran catalog connect --secret-file).",
                                   valueName: "file")) var secretFile: String?
        @OptionGroup var archive: ArchiveOptions

        func validate() throws {
            guard UserFile.isValidOffice(name) else {
                throw ValidationError("an office name is 1–100 letters, digits, '-', '_' or '.' (got \(TerminalText.safe(name)))")
            }
        }

        func run() throws {
            let admin = try CatalogCommand.sharedEngine(catalog).administration()
            let (name, role, seesAll, mediaURL) = (self.name, self.role, self.seesAll, self.mediaURL)
            let secret = try secretFile.map { file in try accountWork { try LinkSecrets.read(file: file) } }
            try AsyncBridge.wait { try await admin.addOffice(name, role: role, seesAll: seesAll, mediaURL: mediaURL) }
            print("office \(name)" + (role.map { " acts through role \($0)" } ?? "") + (seesAll ? ", sees every office" : ""))
            if let secret {
                let store = Archive(path: archive.archive)
                try store.prepare()
                try accountWork {
                    var secrets = try LinkSecrets.load(store)
                    secrets.offices[name] = secret
                    try secrets.save(in: store)
                }
                print("siaran serve on \(store.root) signs links to office \(name)'s player (secret kept in \(LinkSecrets.path(in: store)))")
            }
        }
    }

    struct Sharing: ParsableArguments {
        @Argument(help: "The session's id, or all for every session of this office.") var session: String
        @Option(name: .customLong("with"), help: ArgumentHelp("The office to share with, or all for every office.", valueName: "office"))
        var viewer: String

        var sessionKey: String { session == "all" ? "*" : session }
        var viewerKey: String { viewer == "all" ? "*" : viewer }
    }

    struct Share: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Let another office (or every office) see one of this office's sessions, or all of them.")
        @OptionGroup var catalog: CatalogOptions
        @OptionGroup var sharing: Sharing
        @OptionGroup var archive: ArchiveOptions

        func run() throws {
            let admin = try CatalogCommand.sharedEngine(catalog, archive: Archive(path: archive.archive)).administration()
            let (session, viewer) = (sharing.sessionKey, sharing.viewerKey)
            try AsyncBridge.wait { try await admin.share(session: session, with: viewer) }
            print("shared \(sharing.session == "all" ? "every session" : "session \(sharing.session)") with \(sharing.viewer == "all" ? "every office" : "office \(sharing.viewer)")")
        }
    }

    struct Unshare: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Take back a share made with siaran catalog share.")
        @OptionGroup var catalog: CatalogOptions
        @OptionGroup var sharing: Sharing
        @OptionGroup var archive: ArchiveOptions

        func run() throws {
            let admin = try CatalogCommand.sharedEngine(catalog, archive: Archive(path: archive.archive)).administration()
            let (session, viewer) = (sharing.sessionKey, sharing.viewerKey)
            try AsyncBridge.wait { try await admin.unshare(session: session, with: viewer) }
            print("no longer shared: \(sharing.session) with \(sharing.viewer)")
        }
    }
}
