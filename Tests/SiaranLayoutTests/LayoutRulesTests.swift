import Foundation
import Testing

/// The layout's rules, read from the sources: which module may import what. SwiftPM lets a target
/// import any module of its dependencies' dependencies, so the build alone does not keep libav,
/// SQL and argument parsing in their rooms; this test does.
@Suite("Layout rules")
struct LayoutRulesTests {
    static let sources: URL = {
        var root = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { root.deleteLastPathComponent() }
        return root.appendingPathComponent("Sources")
    }()

    /// Each module that only some targets may import, and those targets.
    static let allowed: [String: Set<String>] = [
        "CFFmpeg": ["SiaranMedia"],
        "SiaranMedia": ["SiaranRecording", "SiaranMediaCommands", "SiaranFuzz"],
        "SiaranRecording": ["SiaranMediaCommands"],
        "GRDB": ["SiaranCatalogSQLite"],
        "PostgresNIO": ["SiaranCatalogPostgres"],
        "SiaranCatalogSQLite": ["siaran", "siaran-media", "siaran-serve", "SiaranFuzz", "SiaranTestSupport", "SiaranServerTests"],
        "SiaranCatalogPostgres": ["siaran", "siaran-serve", "SiaranTestSupport"],
        "ArgumentParser": ["SiaranCLI", "SiaranMediaCommands"],
        "SiaranCLI": ["SiaranMediaCommands", "siaran", "siaran-media", "siaran-serve"],
        "SiaranMediaCommands": ["siaran-media"],
        "SiaranSearch": ["SiaranCatalogSQLite", "SiaranCatalogPostgres", "SiaranCLI", "SiaranMediaCommands", "SiaranFuzz", "SiaranTestSupport", "SiaranServer", "SiaranServerTests"],
        "Yams": ["SiaranArchive"],
        "Hummingbird": ["SiaranServer"],
        "HummingbirdTesting": ["SiaranServerTests"],
        "NIOCore": ["SiaranServer", "SiaranServerTests"],
        "Mustache": ["SiaranServer"],
        "Crypto": ["SiaranServer"],
        "HummingbirdBcrypt": ["SiaranAccounts"],
        "SiaranServer": ["siaran-serve", "SiaranServerTests"],
    ]

    /// `import` lines of every Swift file, by target folder.
    static func imports() throws -> [(target: String, file: String, module: String)] {
        var found: [(String, String, String)] = []
        let targets = try FileManager.default.contentsOfDirectory(atPath: sources.path)
        for target in targets {
            let folder = sources.appendingPathComponent(target)
            guard let files = FileManager.default.enumerator(atPath: folder.path) else { continue }
            for case let file as String in files where file.hasSuffix(".swift") {
                let text = try String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8)
                for line in text.split(separator: "\n") {
                    let words = line.split(separator: " ")
                    guard let index = words.firstIndex(of: "import"), index <= 1, index + 1 < words.count else { continue }
                    found.append((target, file, String(words[index + 1])))
                }
            }
        }
        return found
    }

    @Test("libav only in the media module, SQL only in the catalog modules, argument parsing only in the command line")
    func importsStayInTheirRooms() throws {
        let all = try Self.imports()
        #expect(all.count > 100, "found only \(all.count) imports under \(Self.sources.path)")
        for (target, file, module) in all {
            guard let targets = Self.allowed[module] else { continue }
            #expect(targets.contains(target) || target == module, "\(target)/\(file) imports \(module), which only \(targets.sorted()) may")
        }
    }

    /// Each target's dependencies as Package.swift declares them (targets and products by name).
    static func declaredDependencies() throws -> [String: [String]] {
        let manifest = try String(contentsOf: sources.deletingLastPathComponent().appendingPathComponent("Package.swift"), encoding: .utf8)
        var dependencies: [String: [String]] = [:]
        let starts = ["\n        .target(name: \"", "\n        .executableTarget(name: \"", "\n        .testTarget(name: \"", "\n        .systemLibrary(\n"]
        var declarations = [manifest[...]]
        for start in starts { declarations = declarations.flatMap { $0.components(separatedBy: start).map { $0[...] } } }
        for declaration in declarations.dropFirst() {
            guard let nameEnd = declaration.firstIndex(of: "\""), let list = declaration.range(of: "dependencies: [") else { continue }
            let quoted = declaration[list.upperBound...].split(separator: "\"", omittingEmptySubsequences: false)
            dependencies[String(declaration[..<nameEnd])] = stride(from: 1, to: quoted.count, by: 2).map { String(quoted[$0]) }
        }
        return dependencies
    }

    @Test("siaran-media (the recorder) links neither the shared catalog nor the server: no postgres-nio, NIO or BoringSSL")
    func recorderStaysLean() throws {
        let declared = try Self.declaredDependencies()
        #expect(declared["siaran-media"] != nil && declared["SiaranMediaCommands"] != nil, "Package.swift was not read: \(declared.keys.sorted())")
        var reached: Set<String> = []
        var pending = ["siaran-media"]
        while let next = pending.popLast() {
            if reached.insert(next).inserted { pending += declared[next] ?? [] }
        }
        for heavy in ["SiaranCatalogPostgres", "PostgresNIO", "postgres-nio", "SiaranServer", "Hummingbird", "hummingbird"] {
            #expect(!reached.contains(heavy), "siaran-media depends on \(heavy) (through \(reached.sorted()))")
        }
    }

    @Test("no source file is longer than 400 lines")
    func smallFiles() throws {
        guard let files = FileManager.default.enumerator(atPath: Self.sources.path) else { return }
        for case let file as String in files where file.hasSuffix(".swift") {
            let lines = try String(contentsOf: Self.sources.appendingPathComponent(file), encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false).count
            #expect(lines <= 400, "\(file) has \(lines) lines")
        }
    }

    @Test("every end-to-end suite runs on threads of its own (.ownThreads), so its waits do not hold the shared pool, with a time limit of at least 20 minutes")
    func endToEndSuitesOwnThreads() throws {
        let folder = Self.sources.deletingLastPathComponent().appendingPathComponent("Tests/SiaranEndToEndTests")
        for file in try FileManager.default.contentsOfDirectory(atPath: folder.path) where file.hasSuffix(".swift") {
            let text = try String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8)
            for line in text.split(separator: "\n") where line.hasPrefix("@Suite") {
                #expect(line.contains(".ownThreads"), "\(file): \(line)")
                // A time limit counts the wait for one of OwnThreads' slots, which in a full run lasts
                // up to the run's length (about 11 minutes here): a shorter limit fails a test that waited.
                if let limit = line.range(of: ".timeLimit(.minutes(") {
                    let minutes = Int(line[limit.upperBound...].prefix { $0.isNumber }) ?? 0
                    #expect(minutes >= 20, "\(file): a time limit of \(minutes) minutes counts the wait for a slot too: \(line)")
                }
            }
        }
    }
}
