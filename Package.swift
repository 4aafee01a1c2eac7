// swift-tools-version:6.1
import PackageDescription

// Each target owns one part of Siaran and imports only what that part needs; the README's Layout
// section says where each kind of change goes, and Tests/SiaranLayoutTests checks the import rules.
let package = Package(
    name: "Siaran",
    products: [
        .executable(name: "siaran", targets: ["siaran"]),
        .executable(name: "siaran-media", targets: ["siaran-media"]),
        .executable(name: "siaran-serve", targets: ["siaran-serve"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth", from: "2.5.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
        .package(url: "https://github.com/apple/swift-crypto", "3.12.3"..<"5.0.0"),
    ],
    targets: [
        .systemLibrary(
            name: "CFFmpeg",
            pkgConfig: "libavformat libavcodec libavutil libswresample libswscale",
            providers: [.apt(["libavformat-dev", "libavcodec-dev", "libavutil-dev", "libswresample-dev", "libswscale-dev", "pkg-config"])]
        ),
        // Vocabulary and pure text: segment records, redaction, ISO 8601, WebVTT, HLS playlist text.
        .target(name: "SiaranCore"),
        // libav only: input, timeline, segmenter and muxer, remux, clip, caption demuxing.
        .target(name: "SiaranMedia", dependencies: ["CFFmpeg", "SiaranCore"]),
        // Session files only: layout, manifest, playlist, lock, event log and tags, agenda, timeline, report.
        .target(name: "SiaranArchive", dependencies: ["SiaranCore", "Yams"]),
        // Backend-neutral search: query, analyzer, stemmer, highlighter, Ranking, SearchIndex, refresh policy.
        .target(name: "SiaranSearch", dependencies: ["SiaranArchive", .product(name: "Logging", package: "swift-log")]),
        // The only SQL: the SQLite catalog (GRDB, FTS5) behind SearchIndex.
        .target(name: "SiaranCatalogSQLite", dependencies: ["SiaranSearch", .product(name: "GRDB", package: "GRDB.swift"),
                                                            .product(name: "Logging", package: "swift-log")]),
        // The shared catalog: PostgreSQL (postgres-nio, tsvector + GIN) behind SearchIndex, for many offices.
        .target(name: "SiaranCatalogPostgres", dependencies: ["SiaranSearch", "SiaranArchive",
                                                              .product(name: "PostgresNIO", package: "postgres-nio"),
                                                              .product(name: "Logging", package: "swift-log")]),
        // Media + archive: the recorder (connect/reconnect, session writer, disk-full policy), recovery, caption import.
        .target(name: "SiaranRecording", dependencies: ["SiaranMedia", "SiaranArchive", .product(name: "Logging", package: "swift-log")]),
        // Who may use the web companion: the users file under the archive, roles, bcrypt password hashes.
        .target(name: "SiaranAccounts", dependencies: ["SiaranArchive", .product(name: "HummingbirdBcrypt", package: "hummingbird-auth")]),
        // The web companion (Hummingbird 2): routes, pages, sign-in, live updates; media work runs as `siaran-media` children.
        // The pages' scripts, styles, templates and messages are real files under SiaranServer/Web, compiled in by the plugin.
        .target(name: "SiaranServer", dependencies: ["SiaranArchive", "SiaranSearch", "SiaranAccounts",
                                                     .product(name: "Hummingbird", package: "hummingbird"),
                                                     .product(name: "Mustache", package: "swift-mustache"),
                                                     .product(name: "Crypto", package: "swift-crypto"),
                                                     .product(name: "Logging", package: "swift-log")],
                exclude: ["Web"], plugins: ["WebAssetsPlugin"]),
        .executableTarget(name: "siaran-web-assets", path: "Sources/siaran-web-assets"),
        .plugin(name: "WebAssetsPlugin", capability: .buildTool(), dependencies: ["siaran-web-assets"]),
        // Every command's arguments and help, the non-media commands' work, the terminal console.
        .target(name: "SiaranCLI", dependencies: ["SiaranSearch", "SiaranAccounts", .product(name: "ArgumentParser", package: "swift-argument-parser"),
                                                  .product(name: "Logging", package: "swift-log")]),
        // The media commands' work (record, import, captions, clip, recover, demo), testable in process.
        .target(name: "SiaranMediaCommands", dependencies: ["SiaranCLI", "SiaranRecording"]),
        // The libFuzzer harness; built only by Fuzz/run (with -sanitize=fuzzer,address).
        .target(name: "SiaranFuzz", dependencies: ["SiaranMedia", "SiaranArchive", "SiaranCatalogSQLite"]),
        // `siaran`: starts in milliseconds (no libav); hands media commands to `siaran-media` beside it.
        .executableTarget(name: "siaran", dependencies: ["SiaranCLI", "SiaranCatalogSQLite", "SiaranCatalogPostgres"]),
        // `siaran-media`: records and imports; links no PostgreSQL client (shared-catalog commands go back to `siaran`).
        .executableTarget(name: "siaran-media", dependencies: ["SiaranMediaCommands", "SiaranCatalogSQLite"]),
        // `siaran-serve`: `siaran serve` runs here, so that `siaran` itself does not load NIO.
        .executableTarget(name: "siaran-serve", dependencies: ["SiaranCLI", "SiaranServer", "SiaranCatalogSQLite", "SiaranCatalogPostgres"]),
        .target(name: "SiaranTestSupport", dependencies: ["SiaranArchive", "SiaranSearch", "SiaranCatalogSQLite", "SiaranCatalogPostgres",
                                                         .product(name: "Logging", package: "swift-log")]),
        .testTarget(name: "SiaranCoreTests", dependencies: ["SiaranCore"]),
        .testTarget(name: "SiaranMediaTests", dependencies: ["SiaranMedia", "SiaranCore", "SiaranTestSupport"]),
        .testTarget(name: "SiaranArchiveTests", dependencies: ["SiaranArchive", "SiaranTestSupport"]),
        .testTarget(name: "SiaranSearchTests", dependencies: ["SiaranSearch", "SiaranCatalogSQLite", "SiaranCatalogPostgres", "SiaranTestSupport"],
                    exclude: ["Data", "Evaluation"]),
        .testTarget(name: "SiaranCLITests", dependencies: ["SiaranCLI", "SiaranMediaCommands", "SiaranTestSupport"]),
        .testTarget(name: "SiaranLayoutTests"),
        .testTarget(name: "SiaranServerTests", dependencies: ["SiaranServer", "SiaranAccounts", "SiaranTestSupport", "SiaranCatalogSQLite",
                                                            "SiaranCatalogPostgres", "SiaranSearch",
                                                            .product(name: "HummingbirdTesting", package: "hummingbird")]),
        .testTarget(name: "SiaranEndToEndTests", dependencies: ["SiaranRecording", "SiaranTestSupport", "siaran", "siaran-media", "siaran-serve"]),
    ],
    swiftLanguageModes: [.v6]
)
