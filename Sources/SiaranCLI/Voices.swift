import ArgumentParser
import Foundation
import SiaranArchive
import SiaranCore

/// `siaran voices`: who is speaking, heard from the voices (issue 31), and the office's voice library.
public struct Voices: ParsableCommand {
    public init() {}

    public static let configuration = CommandConfiguration(
        abstract: "Suggest who speaks when from the voices, offline; manage the office's voice library.",
        discussion: """
        A voiceprint is biometric personal data (UU 27/2022): this is off until an admin runs \
        `siaran voices --enable`. Then `siaran voices SESSION` suggests speaker turns (an officer's tag always \
        wins; confirm or dismiss suggestions in the web companion) and learns the voices the officer named. \
        The library stays on this machine (.voices/ in the archive, readable by its owner only); the shared \
        catalog gets names, never vectors. `--library --delete NAME` deletes a person's vectors at once.
        Examples:
          siaran voices --enable
          siaran voices 2021-09-15-bakohumas
          siaran voices --enroll "Ilham Saputra" --from 2021-09-15-bakohumas@754
          siaran voices --library --delete "Ilham Saputra"
        """
    )

    @Argument(help: "The session to listen to (id or a unique part of it).") public var session: String?
    @Flag(help: "Turn voice recognition on for this office (admins).") public var enable = false
    @Flag(help: "Turn it off (the library stays until people are deleted).") public var disable = false
    @Flag(help: "List the enrolled people: name, samples, sessions learnt from, when.") public var library = false
    @Option(help: ArgumentHelp("With --library: delete this person's voice vectors now.", valueName: "name")) public var delete: String?
    @Option(help: ArgumentHelp("Enroll this person from a short sample (with --from).", valueName: "name")) public var enroll: String?
    @Option(help: ArgumentHelp("The sample: an audio or video FILE, or SESSION@SECONDS (a moment they speak).", valueName: "source"))
    public var from: String?
    @Option(help: "Seconds of the sample to use.") public var seconds = 10.0
    @Flag(help: "Print the result as JSON.") public var json = false
    @OptionGroup public var archive: ArchiveOptions

    public func validate() throws {
        if delete != nil, !library { throw ValidationError("--delete goes with --library: siaran voices --library --delete NAME") }
        let modes = [session != nil, enable, disable, library, enroll != nil].filter { $0 }.count
        guard modes == 1 else {
            throw ValidationError("give one of: SESSION, --enable, --disable, --library, --enroll NAME --from SOURCE")
        }
        if enroll != nil, from == nil { throw ValidationError("--enroll needs --from FILE or --from SESSION@SECONDS") }
        if from != nil, enroll == nil { throw ValidationError("--from goes with --enroll NAME") }
        guard (2...60).contains(seconds) else { throw ValidationError("--seconds must be between 2 and 60") }
    }

    public func run() throws {
        if session != nil || enroll != nil { return try handOffToMedia() }
        let voices = VoiceLibrary(archive: Archive(path: archive.archive))
        if enable || disable {
            try voices.setEnabled(enable, by: Tagger.author)
            print(enable ? "voice recognition is on for this office: `siaran voices SESSION` suggests speakers and learns the voices officers name"
                         : "voice recognition is off; the library keeps its people until you delete them (`siaran voices --library --delete NAME`)")
            return
        }
        if let delete {
            let name = try voices.delete(delete, by: Tagger.author)
            print("deleted \(name)'s voice vectors from the library")
            return
        }
        let people = try voices.people()
        if json {
            print(String(decoding: try JSONCoding.encoder().encode(people), as: UTF8.self))
            return
        }
        if people.isEmpty { print("the voice library is empty" + (voices.isEnabled ? "" : " (voice recognition is off)")); return }
        for person in people {
            print("\(person.name)\t\(person.samples) sample\(person.samples == 1 ? "" : "s")\t"
                  + "\(person.sessions.isEmpty ? "from a sample file" : person.sessions.joined(separator: ", "))\t\(ISO8601.format(person.lastEnrolled))")
        }
    }
}
