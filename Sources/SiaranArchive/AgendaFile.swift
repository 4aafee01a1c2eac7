import Foundation
import Yams

/// A problem in an agenda file, with its place: `file:line:column: message`.
public struct AgendaFileError: Error, CustomStringConvertible, Sendable {
    public var file: String
    public var line: Int
    public var column: Int
    public var message: String

    public var description: String { "\(file):\(line):\(column): \(message)" }
}

/// Reads agenda/roster files written in YAML. Every field is checked: a wrong type or an unknown
/// field is an error naming the file, line and column and what was expected, never silently dropped.
///
/// ```yaml
/// title: Sosialisasi Juknis Bakohumas KPU      # the event
/// organiser: KPU RI
/// date: 2021-09-15
/// start: 09:00 WIB                            # optional: when it begins and ends, for `schedule`
/// end: 11:30 WIB
/// place: Jakarta                              # optional: the news post's dateline
/// language: id
/// description: Koordinasi kehumasan lintas KPU.
/// speakers:                                   # numbered 1, 2, … for the recorder's keys
///   - name: Ilham Saputra
///     role: Ketua KPU RI
///     organisation: KPU RI
///     aliases: [Ketua, Pak Ilham]
/// participants:
///   - name: Hasrul Dumambow
///     role: Ketua Divisi Sosialisasi
///     organisation: KPU Kabupaten Bolaang Mongondow
/// agenda:
///   - title: Sambutan pembukaan
///     speakers: [Ilham Saputra]
///     start: "10:00"
/// ```
public enum AgendaFile {
    /// Loads and checks the YAML file at `path`.
    public static func load(path: String) throws -> Agenda {
        let text: String
        do { text = try String(contentsOfFile: path, encoding: .utf8) } catch {
            throw AgendaFileError(file: path, line: 1, column: 1, message: "cannot read the file (\(error.localizedDescription))")
        }
        return try parse(text, file: path)
    }

    /// Parses agenda YAML; `file` names it in errors.
    public static func parse(_ text: String, file: String) throws -> Agenda {
        if text.utf8.count > maximumBytes {
            throw AgendaFileError(file: file, line: 1, column: 1, message: "the file is \(text.utf8.count / 1024) KB; an agenda file holds at most \(maximumBytes / 1024) KB")
        }
        if let alias = firstAlias(in: text) {
            throw AgendaFileError(file: file, line: alias.line, column: alias.column,
                                  message: "YAML aliases (*\(alias.name)) are not accepted in agenda files (they can make a small file huge); write the value out")
        }
        let root: Node?
        do { root = try Yams.compose(yaml: text) } catch let error as YamlError {
            throw Self.error(from: error, file: file)
        }
        guard let root else { throw AgendaFileError(file: file, line: 1, column: 1, message: "the file is empty; expected a mapping with title, speakers, agenda…") }
        let reader = Reader(file: file)
        return try reader.agenda(root)
    }

    /// The largest agenda file read (a real one is a few KB).
    static let maximumBytes = 256 * 1024

    /// The first alias (`*name` where a value begins, outside quotes and comments), if any.
    static func firstAlias(in text: String) -> (line: Int, column: Int, name: String)? {
        for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() where line.contains("*") {
            var quote: Character?
            var previous: Character = " "
            for (offset, character) in line.enumerated() {
                if let open = quote {
                    if character == open { quote = nil }
                } else if character == "\"" || character == "'" {
                    quote = character
                } else if character == "#" && previous.isWhitespace {
                    break
                } else if character == "*" && (previous.isWhitespace || "[{,:-".contains(previous)) {
                    let name = line.dropFirst(offset + 1).prefix { !$0.isWhitespace && !",]}".contains($0) }
                    if !name.isEmpty { return (number + 1, offset + 1, String(name)) }
                }
                previous = character
            }
        }
        return nil
    }

    static func error(from error: YamlError, file: String) -> AgendaFileError {
        switch error {
        case let .scanner(context, problem, mark, _), let .parser(context, problem, mark, _), let .composer(context, problem, mark, _):
            // libyaml's context mark is where the construct that went wrong began (an unclosed `[`),
            // the problem mark where it noticed.
            let start = context?.mark ?? mark
            let began = context.map { "; \($0.text) at line \($0.mark.line)" } ?? ""
            return AgendaFileError(file: file, line: start.line, column: start.column, message: "not valid YAML: \(problem)\(began)")
        default:
            return AgendaFileError(file: file, line: 1, column: 1, message: "not valid YAML: \(error)")
        }
    }

    private struct Reader {
        let file: String

        func fail(_ node: Node, _ message: String) -> AgendaFileError {
            AgendaFileError(file: file, line: node.mark?.line ?? 1, column: node.mark?.column ?? 1, message: message)
        }

        /// The mapping's entries after checking every key is one of `allowed`.
        func fields(_ node: Node, allowed: [String], what: String) throws -> [String: Node] {
            guard let mapping = node.mapping else { throw fail(node, "expected \(what) as a mapping (key: value lines)") }
            var result: [String: Node] = [:]
            for (key, value) in mapping {
                guard let name = key.scalar?.string else { throw fail(key, "expected a field name") }
                guard allowed.contains(name) else {
                    throw fail(key, "unknown field '\(name)' in \(what); expected one of: \(allowed.joined(separator: ", "))")
                }
                result[name] = value
            }
            return result
        }

        func string(_ node: Node?, _ field: String) throws -> String? {
            guard let node else { return nil }
            if case .scalar(let scalar) = node {
                if node.null != nil { return nil }
                return scalar.string.trimmingCharacters(in: .whitespacesAndNewlines)
            }
            throw fail(node, "expected text for '\(field)'")
        }

        func strings(_ node: Node?, _ field: String) throws -> [String] {
            guard let node else { return [] }
            if node.null != nil { return [] }
            if case .scalar = node { return [try string(node, field)].compactMap { $0 } }
            guard let sequence = node.sequence else { throw fail(node, "expected a list for '\(field)'") }
            return try sequence.compactMap { try string($0, field) }
        }

        func person(_ node: Node, what: String) throws -> Person {
            if case .scalar = node, let name = try string(node, "name"), !name.isEmpty { return Person(name: name) }
            let f = try fields(node, allowed: ["name", "role", "organisation", "organization", "aliases"], what: what)
            guard let name = try string(f["name"], "name"), !name.isEmpty else { throw fail(node, "\(what) needs a 'name'") }
            return Person(name: name, role: try string(f["role"], "role"),
                          organisation: try string(f["organisation"] ?? f["organization"], "organisation"),
                          aliases: try strings(f["aliases"], "aliases"))
        }

        func people(_ node: Node?, what: String) throws -> [Person] {
            guard let node, node.null == nil else { return [] }
            guard let sequence = node.sequence else { throw fail(node, "expected a list of \(what)s") }
            return try sequence.map { try person($0, what: what) }
        }

        func agenda(_ root: Node) throws -> Agenda {
            let f = try fields(root, allowed: ["title", "organiser", "organizer", "date", "start", "end", "place", "description",
                                               "language", "speakers", "participants", "agenda"], what: "the agenda file")
            var agenda = Agenda(title: try string(f["title"], "title"), organiser: try string(f["organiser"] ?? f["organizer"], "organiser"),
                                date: try string(f["date"], "date"), description: try string(f["description"], "description"),
                                language: try string(f["language"], "language"))
            if let date = agenda.date, let node = f["date"], date.range(of: #"^\d{4}-\d{2}-\d{2}$"#, options: .regularExpression) == nil {
                throw fail(node, "expected the date as YYYY-MM-DD, got '\(date)'")
            }
            agenda.place = try string(f["place"], "place")
            for (key, name) in [("start", "start"), ("end", "end")] {
                guard let node = f[key], let text = try string(node, name) else { continue }
                guard EventTime(text) != nil else {
                    throw fail(node, "expected the \(name) as HH:MM, optionally with its zone (09:00 WIB, 09:00 WITA, 09:00+07:00), got '\(text)'")
                }
                if key == "start" { agenda.start = text } else { agenda.end = text }
            }
            agenda.speakers = try people(f["speakers"], what: "speaker")
            agenda.participants = try people(f["participants"], what: "participant")
            if let items = f["agenda"], items.null == nil {
                guard let sequence = items.sequence else { throw fail(items, "expected a list of agenda items") }
                agenda.agenda = try sequence.map { node in
                    if case .scalar = node, let title = try string(node, "title") { return AgendaItem(title: title) }
                    let g = try fields(node, allowed: ["title", "description", "speakers", "start"], what: "an agenda item")
                    guard let title = try string(g["title"], "title"), !title.isEmpty else { throw fail(node, "an agenda item needs a 'title'") }
                    let planned = try strings(g["speakers"], "speakers")
                    for name in planned where agenda.person(named: name) == .unknown {
                        throw fail(g["speakers"]!, "agenda item '\(title)' names '\(name)', who is not among the speakers or participants")
                    }
                    return AgendaItem(title: title, description: try string(g["description"], "description"),
                                      speakers: planned, plannedStart: try string(g["start"], "start"))
                }
            }
            return agenda
        }
    }
}
