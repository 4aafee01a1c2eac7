import Foundation
import SiaranCore

/// The first draft of a session's news post, in Indonesian, from what Siaran knows: the agenda
/// (title, organiser, date, place, description), the roster's roles, who took the floor and when,
/// the topics tagged, and the lines starred as quotes. A template, not a language model: every
/// sentence says something the archive holds, and the officer edits the rest.
///
/// The text is plain: a first line `# TITLE`, then paragraphs separated by blank lines.
public enum NewsPostDraft {
    /// `zone`: the office's, for the day the draft names (the agenda's or the recording's, as
    /// `AgendaDateCheck` says).
    public static func text(_ d: SessionDetails, post: NewsPost, zone: TimeZone = .current) -> String {
        let agenda = d.agenda ?? Agenda()
        let organiser = agenda.organiser.map(clean) ?? ""
        let title = clean(agenda.title ?? d.title)
        var paragraphs: [String] = []

        let headline = organiser.isEmpty ? title : "\(organiser) menggelar \(title)"
        paragraphs.append("# " + headline.uppercased())

        // Lead: where, when, who, what.
        var lead = agenda.place.map { clean($0) + " - " } ?? ""
        // An opening time phrase takes a comma: "Pada Rabu (15/9), KPU RI menggelar …".
        let when = day(d, zone: zone).map { "pada \($0), " } ?? ""
        let host = organiser.isEmpty ? "telah digelar" : "\(organiser) menggelar"
        lead += capitalised("\(when)\(host) “\(title)”.")
        if let description = agenda.description.map(clean), !description.isEmpty { lead += " " + sentence(description) }
        paragraphs.append(lead)

        let participants = agenda.participants.map { withRole($0) }
        if !participants.isEmpty {
            paragraphs.append("Kegiatan ini diikuti oleh \(list(participants)).")
        }

        let moderator = Self.moderator(agenda)
        let opener = Self.opener(agenda, d.timeline, moderator: moderator)
        // A quote starred without a speaker is attributed to who spoke then, all told (the
        // officer's tags, else the voices' suggestion: the officer reads the draft before it goes).
        var quotes = post.quotesInOrder.map { quote in
            var quote = quote
            if quote.speaker == nil { quote.speaker = d.timeline.effectiveSpeaker(at: quote.at + 0.01)?.value }
            return quote
        }
        if let opener {
            let person = d.person(opener) ?? Person(name: opener)
            let role = person.role.map(clean)
            var text = role.map { "\($0), \(clean(person.name)), membuka kegiatan ini." } ?? "\(clean(person.name)) membuka kegiatan ini."
            if let first = quotes.firstIndex(where: { $0.speaker == opener }) {
                let who = role.map { "\($0), \(clean(person.name)), " } ?? "\(clean(person.name)) "
                text = "Dalam sambutannya saat membuka kegiatan ini, \(who)menyampaikan, “\(quoteText(quotes[first]))”"
                quotes.remove(at: first)
            }
            paragraphs.append(capitalised(text))
        }

        let presenters = Self.presenters(agenda, d.timeline, except: [opener, moderator].compactMap { $0 })
        if !presenters.isEmpty || moderator != nil {
            var text = presenters.isEmpty ? "" : "Hadir sebagai pemateri \(list(presenters.map { withRole(d.person($0) ?? Person(name: $0)) }))"
            if let moderator {
                text += text.isEmpty ? "Kegiatan ini dipandu oleh \(clean(moderator)) selaku moderator" : ", bersama \(clean(moderator)) selaku moderator"
            }
            paragraphs.append(text + ".")
        }

        // The key messages: each starred line in the order it was said, with who said it and
        // (when it changes) which agenda item was running.
        var lastItem: String?
        var quoted = Set<String>()
        for quote in quotes {
            var text = ""
            if let item = d.timeline.agendaItem(at: quote.at)?.value, item != lastItem {
                text += "Pada sesi \(clean(item)), "
                lastItem = item
            }
            let words = quoteText(quote)
            if let speaker = quote.speaker {
                if quoted.insert(speaker).inserted {
                    text += "\(clean(speaker)) menyampaikan, “\(words)”"
                } else {
                    // "“… kita,” lanjut Ilham." but "“… kita?” lanjut Ilham."
                    let open = words.last == "." ? String(words.dropLast()) + "," : words
                    text += "“\(open)” lanjut \(shortName(speaker))."
                }
            } else {
                text += "Disampaikan pula, “\(words)”"
            }
            paragraphs.append(capitalised(text))
        }

        let topics = d.timeline.topics.map { cased($0.value, agenda) }
            .reduce(into: [String]()) { seen, topic in if !seen.contains(topic) { seen.append(topic) } }
        if !topics.isEmpty {
            paragraphs.append("Topik yang dibahas antara lain \(list(topics.map(clean))).")
        }
        return paragraphs.joined(separator: "\n\n") + "\n"
    }

    /// "Rabu (15/9)": the event's day in the office's zone, the agenda's or the recording's
    /// (`SessionDetails.eventDay`: whichever the officer chose when they differ).
    static func day(_ d: SessionDetails, zone: TimeZone = .current) -> String? {
        guard let date = d.eventDay(zone: zone) else { return nil }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let names = ["Minggu", "Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu"]
        let parts = calendar.dateComponents([.weekday, .day, .month], from: date)
        guard let weekday = parts.weekday, let day = parts.day, let month = parts.month else { return nil }
        return "\(names[weekday - 1]) (\(day)/\(month))"
    }

    /// The moderator: a speaker whose role or alias says so, or the speaker of an item named so.
    static func moderator(_ agenda: Agenda) -> String? {
        if let person = agenda.speakers.first(where: { ([$0.role ?? ""] + $0.aliases).contains { TextFolding.fold($0).contains("moderator") } }) {
            return person.name
        }
        return agenda.agenda.first { TextFolding.fold($0.title).contains("moderator") }?.speakers.first
    }

    /// Who opened the event: the speaker of the welcome (`sambutan`), else of the opening item,
    /// else the first to take the floor who is not the moderator.
    static func opener(_ agenda: Agenda, _ timeline: SessionTimeline, moderator: String?) -> String? {
        for word in ["sambutan", "pembuka", "membuka"] {
            if let item = agenda.agenda.first(where: { TextFolding.fold($0.title).contains(word) }),
               let name = item.speakers.first(where: { $0 != moderator }) {
                return name
            }
        }
        return timeline.effectiveTurns.map(\.value).first { $0 != moderator }
    }

    /// The other speakers: those who took the floor, in roster order, or the whole roster when
    /// nobody was tagged.
    static func presenters(_ agenda: Agenda, _ timeline: SessionTimeline, except: [String]) -> [String] {
        let spoke = timeline.effectiveTurns.map(\.value)
        var names = agenda.speakers.map(\.name).filter { spoke.isEmpty || spoke.contains($0) }
        for name in spoke where !names.contains(name) { names.append(name) }
        return names.filter { !except.contains($0) }
    }

    /// A topic as typed, each word that was typed in lower case taking the capitals the agenda
    /// gives it as a name ("bakohumas" → "Bakohumas", "kpu" → "KPU" when the agenda writes them
    /// so); the officer's own capitals always stay, and the topic is never lower-cased.
    static func cased(_ topic: String, _ agenda: Agenda) -> String {
        let texts = [agenda.title, agenda.organiser, agenda.description].compactMap { $0 } + agenda.agenda.flatMap { [$0.title, $0.description ?? ""] }
            + (agenda.speakers + agenda.participants).flatMap { [$0.role ?? "", $0.organisation ?? ""] }
        // A capital counts where it is a name's, not a sentence's or a Title Case heading's: an
        // acronym (KPU) anywhere, else a capitalised word after a sentence's first, in a text that
        // also has words in lower case.
        var written: [String: String] = [:]
        for text in texts {
            let sentences = text.components(separatedBy: ". ").map { $0.split(whereSeparator: { !$0.isLetter && !$0.isNumber }) }
            let sentenceCase = sentences.joined().contains { $0.first?.isLowercase == true }
            for words in sentences {
                for (index, word) in words.enumerated() where word != word.lowercased() {
                    let acronym = word.count > 1 && word == word.uppercased()
                    guard acronym || (sentenceCase && index > 0) else { continue }
                    let key = TextFolding.fold(String(word))
                    if written[key] == nil { written[key] = String(word) }
                }
            }
        }
        return topic.split(separator: " ", omittingEmptySubsequences: false).map { word -> String in
            guard word == word.lowercased(), let form = written[TextFolding.fold(String(word))] else { return String(word) }
            return form
        }.joined(separator: " ")
    }

    static func withRole(_ person: Person) -> String {
        let role = [person.role, person.organisation.flatMap { org in (person.role ?? "").contains(org) ? nil : org }]
            .compactMap { $0 }.filter { !$0.isEmpty }.map(clean).joined(separator: " ")
        return role.isEmpty ? clean(person.name) : "\(clean(person.name)) selaku \(role)"
    }

    /// "a", "a serta b", "a, b, serta c".
    static func list(_ items: [String]) -> String {
        switch items.count {
        case 0: return ""
        case 1: return items[0]
        default: return items.dropLast().joined(separator: ", ") + (items.count > 2 ? "," : "") + " serta " + items[items.count - 1]
        }
    }

    /// The quote's words, closing with a full stop inside the marks.
    static func quoteText(_ quote: NewsPost.Quote) -> String {
        sentence(clean(quote.text))
    }

    static func sentence(_ text: String) -> String {
        guard let last = text.last else { return text }
        return ".!?…".contains(last) ? text : text + "."
    }

    static func capitalised(_ text: String) -> String {
        guard let first = text.first else { return text }
        return first.uppercased() + text.dropFirst()
    }

    /// Titles and honorifics that come before a name ("Dr. Hj. Siti …", "Bapak Ilham").
    static let honorifics: Set<String> = ["bapak", "pak", "ibu", "bu", "saudara", "saudari", "haji", "hajjah", "prof", "dr", "drs", "ir", "hj", "h", "kh"]

    /// "Ilham" from "Ilham Saputra": the first word of the name that is not a title, an honorific or
    /// a single letter ("I Dewa …" gives "Dewa", "Dr. Hj. Siti Rahma" gives "Siti").
    static func shortName(_ name: String) -> String {
        let words = clean(name).split(separator: " ").map(String.init)
        return words.first { word in
            let bare = word.trimmingCharacters(in: CharacterSet(charactersIn: ".,")).lowercased()
            return bare.count > 1 && !word.hasSuffix(".") && !honorifics.contains(bare)
        } ?? clean(name)
    }

    /// One line of text: no control characters, no line breaks, single spaces.
    static func clean(_ text: String) -> String {
        TerminalText.safe(text, keepLineBreaks: false).split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }
}
