/// `siaran search '-hoaks pemilu'`: a query may begin with `-` (an exclusion), which the argument
/// parser would read as options (`-h…` even as a request for help). Such an argument is moved behind
/// `--`, where it can only be the query.
enum QueryArgument {
    /// The arguments of a `search` command line with a query that begins with `-` made positional.
    static func protect(_ arguments: [String]) -> [String] {
        guard arguments.first == "search", !arguments.contains("--") else { return arguments }
        var rest: [String] = []
        var query: String?
        for (position, argument) in arguments.enumerated() {
            let previous = position > 0 ? arguments[position - 1] : ""
            // An option's value (`--speaker -x` is unusual, but it is the option's).
            let isValue = previous.hasPrefix("--") && !previous.contains("=") && !flags.contains(previous)
            if query == nil, !isValue, looksLikeQuery(argument) { query = argument } else { rest.append(argument) }
        }
        guard let query else { return arguments }
        return rest + ["--", query]
    }

    /// Options of `search` that take no value.
    static let flags: Set<String> = ["--json", "--help"]

    /// `-word…` or `-word other words`: never one of `search`'s options (it has no short options but -h).
    static func looksLikeQuery(_ argument: String) -> Bool {
        guard argument.hasPrefix("-"), !argument.hasPrefix("--"), argument.count > 1 else { return false }
        return argument != "-h" || argument.contains(" ")
    }
}
