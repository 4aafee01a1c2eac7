import Foundation
import SiaranArchive
import SiaranCore

/// A saved search's alerts as an Atom feed (RFC 4287), newest first: each entry links to the moment
/// in the session page (`/sessions/ID?t=S`), for feed readers and mail gateways.
struct AtomFeed {
    let base: String
    let search: SavedSearch
    let alerts: [Alert]

    var xml: String {
        let updated = alerts.map(\.raisedAt).max() ?? search.createdAt
        var out = """
        <?xml version="1.0" encoding="utf-8"?>
        <feed xmlns="http://www.w3.org/2005/Atom">
        <id>urn:siaran:alerts:\(Self.escape(search.id))</id>
        <title>Siaran: \(Self.escape(search.query))</title>
        <updated>\(ISO8601.format(updated))</updated>
        <author><name>Siaran</name></author>
        <link rel="alternate" type="text/html" href="\(Self.escape(base + "/alerts"))"/>

        """
        for alert in alerts.sorted(by: { $0.raisedAt > $1.raisedAt }) {
            let link = base + "/sessions/" + (alert.session.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? alert.session)
                + "?t=" + String(Int(alert.seconds))
            let who = [alert.speaker, alert.agenda].compactMap { $0 }.joined(separator: " · ")
            let summary = alert.snippet.replacingOccurrences(of: "«", with: "").replacingOccurrences(of: "»", with: "")
            out += """
            <entry>
            <id>urn:siaran:alert:\(Self.escape(alert.id))</id>
            <title>\(Self.escape(alert.title)) \(ClockFormat.string(alert.seconds))\(who.isEmpty ? "" : " (" + Self.escape(who) + ")")</title>
            <updated>\(ISO8601.format(alert.raisedAt))</updated>
            <link rel="alternate" type="text/html" href="\(Self.escape(link))"/>
            <summary>\(Self.escape(summary))</summary>
            </entry>

            """
        }
        return out + "</feed>\n"
    }

    /// `text` safe inside XML text and attribute values; characters XML 1.0 forbids are dropped.
    static func escape(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            case "\t", "\n", "\r": out.unicodeScalars.append(scalar)
            default:
                let v = scalar.value
                if v >= 0x20 && !(0xFFFE...0xFFFF).contains(v) { out.unicodeScalars.append(scalar) }
            }
        }
        return out
    }
}
