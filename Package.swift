// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "Siaran",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "siaran", targets: ["siaran"]),
        .executable(name: "siaran-media", targets: ["siaran-media"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
    ],
    targets: [
        .systemLibrary(
            name: "CFFmpeg",
            pkgConfig: "libavformat libavcodec libavutil",
            providers: [.apt(["libavformat-dev", "libavcodec-dev", "libavutil-dev", "pkg-config"])]
        ),
        .target(name: "SiaranCore"),
        .target(name: "SiaranMedia", dependencies: ["CFFmpeg", "SiaranCore"]),
        .target(name: "SiaranArchive", dependencies: ["SiaranCore", "Yams", .product(name: "GRDB", package: "GRDB.swift")]),
        // Archive-side application code (catalog indexing, console, live keys, session details): no libav.
        .target(name: "Siaran", dependencies: ["SiaranArchive"]),
        // Recorder, recovery, caption import: the libav side.
        .target(name: "SiaranRecording", dependencies: ["Siaran", "SiaranMedia"]),
        // Every command's arguments; the non-media commands' work.
        .target(name: "SiaranCLI", dependencies: ["Siaran", .product(name: "ArgumentParser", package: "swift-argument-parser")]),
        // The libFuzzer harness; built only by Fuzz/run (with -sanitize=fuzzer,address).
        .target(name: "SiaranFuzz", dependencies: ["SiaranMedia", "SiaranArchive"]),
        // `siaran`: starts in milliseconds (no libav); hands media commands to `siaran-media` beside it.
        .executableTarget(name: "siaran", dependencies: ["SiaranCLI"]),
        .executableTarget(name: "siaran-media", dependencies: ["SiaranCLI", "SiaranRecording"]),
        .testTarget(name: "SiaranCoreTests", dependencies: ["SiaranCore"]),
        .testTarget(name: "SiaranMediaTests", dependencies: ["SiaranMedia"]),
        .testTarget(name: "SiaranArchiveTests", dependencies: ["SiaranArchive"]),
        .testTarget(name: "SiaranTests", dependencies: ["SiaranRecording", "siaran", "siaran-media"]),
    ],
    swiftLanguageModes: [.v6]
)
