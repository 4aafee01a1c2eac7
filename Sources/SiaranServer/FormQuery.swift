import Foundation
import Hummingbird

/// A request's query string read as `application/x-www-form-urlencoded`, which is what an HTML form
/// (and `URLSearchParams`) sends: `+` is a space, `%XX` a byte of UTF-8. Hummingbird's own
/// `queryParameters` keeps `+` as it is, so `q=memfilter+hoaks` was one word to it.
struct FormQuery: Sendable {
    private var values: [(name: String, value: String)] = []

    init(_ query: String?) {
        guard let query, !query.isEmpty else { return }
        for pair in query.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = Self.decode(parts[0])
            let value = parts.count > 1 ? Self.decode(parts[1]) : ""
            values.append((name, value))
        }
    }

    /// The first value given for `name`.
    subscript(_ name: String) -> Substring? {
        values.first { $0.name == name }.map { Substring($0.value) }
    }

    /// Every value given for `name`, in order.
    func all(_ name: String) -> [String] {
        values.filter { $0.name == name }.map(\.value)
    }

    /// One name or value: `+` as space, then percent-decoding; a malformed escape is kept as typed.
    static func decode(_ text: Substring) -> String {
        let spaced = text.replacingOccurrences(of: "+", with: " ")
        return spaced.removingPercentEncoding ?? spaced
    }
}

extension Request {
    /// This request's query, decoded as a form (see `FormQuery`).
    var form: FormQuery { FormQuery(uri.query) }
}
