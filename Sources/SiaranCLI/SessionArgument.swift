import Foundation
import SiaranArchive

extension Archive {
    /// The session a command names, or, when it names none, the session being recorded now, else
    /// the latest (as `siaran tag` takes the live one); says on stderr which one it took.
    func chosenSession(_ query: String?, console: Console = Console()) throws -> String {
        let choice = try resolveOrCurrent(query)
        if choice.chosen {
            console.log("session \(choice.id) (\(choice.live ? "being recorded now" : "the latest"); name another: `siaran sessions` lists them)")
        }
        return choice.id
    }
}
