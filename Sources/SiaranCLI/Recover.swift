import ArgumentParser
import Foundation
import SiaranCore

public struct Recover: ParsableCommand {
    public init() {}

    public static let configuration = CommandConfiguration(
        abstract: "Close sessions left open by a recorder that crashed or was killed.",
        discussion: "Every command that opens the archive does this too; `recover` says what it did."
    )

    @OptionGroup public var archive: ArchiveOptions

    /// Run by another command before its own work: sessions whose recovery failed before are not tried again.
    @Flag(help: .hidden) public var automatic = false

    public func run() throws { try handOffToMedia() }
}
