import ArgumentParser
import Foundation
import SiaranCore

/// `--timezone` and `--language`, shared by the commands that print times or write for readers
/// (`sessions`, `show`, `report`, `post`).
public struct OfficeOptions: ParsableArguments {
    public init() {}

    @Option(help: ArgumentHelp("The office's time zone, an IANA name such as Asia/Jakarta (WIB), Asia/Makassar (WITA) or Asia/Jayapura (WIT); default: $SIARAN_TIMEZONE, else this machine's zone.",
                               valueName: "zone"))
    public var timezone: String?

    @Option(help: ArgumentHelp("id (Indonesian) or en (English).", valueName: "language"))
    public var language: String?

    public func validate() throws {
        _ = try time()
        _ = try chosenLanguage()
    }

    /// The office's clock: `--timezone`, else `$SIARAN_TIMEZONE`, else the machine's zone.
    public func time() throws -> OfficeTime {
        do { return try OfficeTime.chosen(timezone) } catch let error as OfficeTime.UnknownZone {
            throw ValidationError(timezone == nil ? "$SIARAN_TIMEZONE: \(error.description)" : error.description)
        }
    }

    /// `--language`, Indonesian when not given.
    public func chosenLanguage() throws -> OfficeLanguage {
        guard let language else { return .indonesian }
        guard let chosen = OfficeLanguage(code: language) else { throw ValidationError("--language \(language): use id (Indonesian) or en (English)") }
        return chosen
    }
}
