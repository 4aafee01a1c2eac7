import SiaranCore

/// Every line the commands print goes through here (this shadows `Swift.print` inside SiaranCLI):
/// what they print comes from session files, agenda files and captions, which may hold terminal
/// control sequences (see `TerminalText`). The one place that prints escape sequences on purpose,
/// search's highlighting, calls `Swift.print` after cleaning the text itself.
func print(_ text: String, terminator: String = "\n") {
    Swift.print(TerminalText.safe(text), terminator: terminator)
}
