import ArgumentParser
import SiaranArchive

/// A command that could not do its work, for a reason its arguments did not show: printed as
/// "Error: …" (no usage text), exit status 1.
public struct CommandFailure: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
