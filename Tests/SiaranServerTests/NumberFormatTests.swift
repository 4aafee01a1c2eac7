import Foundation
import Testing

/// Counts and decimals on pages are written as the page's language writes them, through one
/// formatter (`S.decimal` in common.js): "120.000 sesi" and "1,5" in Indonesian, "120,000 sessions"
/// and "1.5" in English.
@Suite("Web companion: numbers as the page's language writes them")
struct NumberFormatTests {
    /// What common.js's formatters make of some numbers, run by Node.js with the page's catalogue.
    func formatted(_ language: String) throws -> [String] {
        let node = try #require(["/usr/bin/node", "/usr/bin/nodejs", "/usr/local/bin/node"].first { FileManager.default.isExecutableFile(atPath: $0) },
                                "Node.js runs the pages' formatter; Scripts/setup installs Debian's nodejs")
        let web = LanguageTests.web.appendingPathComponent("Web")
        let program = """
            const vm = require("vm"), fs = require("fs");
            globalThis.document = { body: { dataset: { lang: process.argv[3] } } };
            globalThis.window = { matchMedia: () => ({ matches: false }), SiaranMessages: JSON.parse(fs.readFileSync(process.argv[2], "utf8")) };
            vm.runInThisContext(fs.readFileSync(process.argv[1], "utf8"));
            vm.runInThisContext('console.log(JSON.stringify([S.decimal(120000), S.decimal(1234), S.decimal(999), S.count("count.sessions", 120000), ' +
              'S.count("count.sessions", 1), S.t("catalog.sessions", { sessions: S.decimal(5500), rows: S.decimal(20123456) }), S.decimal(1.5, 1), S.bytes(1100)]))');
            """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: node)
        process.arguments = ["-e", program, web.appendingPathComponent("scripts/common.js").path, web.appendingPathComponent("messages/\(language).json").path, language]
        let output = Pipe(), errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        let text = output.fileHandleForReading.readDataToEndOfFile()
        let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        try #require(process.terminationStatus == 0, "node: \(message)")
        return try JSONDecoder().decode([String].self, from: text)
    }

    @Test("large whole numbers are grouped the Indonesian way (120.000), or the English way (120,000) on English pages")
    func grouped() throws {
        #expect(try formatted("id") == ["120.000", "1.234", "999", "120.000 sesi", "1 sesi", "5.500 sesi, 20.123.456 baris di katalog", "1,5", "1,1\u{a0}KB"])
        #expect(try formatted("en") == ["120,000", "1,234", "999", "120,000 sessions", "1 session", "5,500 sessions, 20,123,456 rows in the catalog", "1.5", "1.1\u{a0}KB"])
    }

    @Test("every count a page script puts in a message goes through the formatter")
    func countsGoThroughTheFormatter() throws {
        var checked = 0
        for (file, text) in try LanguageTests.files("Web/scripts", ".js") {
            for call in LanguageTests.matches(#"(S\.t\("[A-Za-z.]+", \{[^}]*\})"#, in: text) {
                for value in LanguageTests.matches(#"\b(?:count|sessions|rows|offices|silent|failing|days|hours|total): ([^,}]+)"#, in: call) {
                    checked += 1
                    #expect(value.hasPrefix("S.decimal(") || value.hasPrefix("S.bytes("), "\(file): \(call) prints \(value) as it is")
                }
            }
        }
        #expect(checked >= 12, "found only \(checked) counts")
    }
}
