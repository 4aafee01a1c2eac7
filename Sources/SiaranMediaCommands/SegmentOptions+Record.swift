import SiaranArchive
import SiaranCLI
import SiaranRecording

extension SegmentOptions {
    /// The recording options these command-line options stand for.
    func recordOptions(source: String) throws -> RecordOptions {
        var options = RecordOptions(source: source)
        options.title = title
        if let agenda { options.agenda = try AgendaFile.load(path: agenda) }
        options.segmentDuration = segmentDuration
        options.format = format
        return options
    }
}
