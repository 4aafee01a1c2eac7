import ArgumentParser
import Foundation
import SiaranCore

/// Options shared by `record` and `import`.
public struct SegmentOptions: ParsableArguments {
    public init() {}

    @Option(help: "Title of the session (default: from the source).")
    public var title: String?

    @Option(help: "The event's agenda/roster YAML file (speakers, participants, agenda items).")
    public var agenda: String?

    @Option(name: .customLong("segment-duration"), help: "Target segment length in seconds.")
    public var segmentDuration: Double = 6

    @Option(help: "Segment container: ts or fmp4.")
    public var format: SegmentFormat = .ts

    public func validate() throws {
        guard segmentDuration >= 1 && segmentDuration <= 60 else {
            throw ValidationError("--segment-duration must be between 1 and 60 seconds (got \(segmentDuration))")
        }
    }
}

extension SegmentFormat: ExpressibleByArgument {}
