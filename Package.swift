// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "Siaran",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "siaran", targets: ["siaran"]),
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
        .target(name: "Siaran", dependencies: ["SiaranMedia", "SiaranArchive"]),
        // The libFuzzer harness; built only by Fuzz/run (with -sanitize=fuzzer,address).
        .target(name: "SiaranFuzz", dependencies: ["SiaranMedia", "SiaranArchive"]),
        .executableTarget(
            name: "siaran",
            dependencies: ["Siaran", .product(name: "ArgumentParser", package: "swift-argument-parser")]
        ),
        .testTarget(name: "SiaranCoreTests", dependencies: ["SiaranCore"]),
        .testTarget(name: "SiaranMediaTests", dependencies: ["SiaranMedia"]),
        .testTarget(name: "SiaranArchiveTests", dependencies: ["SiaranArchive"]),
        .testTarget(name: "SiaranTests", dependencies: ["Siaran", "siaran"]),
    ],
    swiftLanguageModes: [.v6]
)
