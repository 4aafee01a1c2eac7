/// Removes credentials from a source URL before it is shown, logged or stored:
/// user:password, secret-looking query values, and the RTMP stream key (the last path part).
public enum Redaction {
    /// What replaces a secret.
    public static let mask = "***"

    /// Query and option names whose values are secrets.
    static let secretNames: Set<String> = [
        "token", "key", "secret", "password", "passwd", "pass", "pwd", "auth", "authorization",
        "sig", "signature", "access_token", "accesstoken", "api_key", "apikey", "streamkey",
        "stream_key", "passphrase", "streamid", "credential", "credentials", "session", "sessionid",
        "x-amz-signature", "x-amz-credential", "x-amz-security-token", "hdnts", "hdnea",
    ]

    /// `url` with every secret replaced by `mask`; text that is not a URL is returned unchanged.
    public static func redact(_ url: String) -> String {
        guard let schemeEnd = url.range(of: "://") else { return url }
        let scheme = url[..<schemeEnd.lowerBound].lowercased()
        var rest = String(url[schemeEnd.upperBound...])

        var fragment = ""
        if let hash = rest.firstIndex(of: "#") {
            fragment = String(rest[hash...])
            rest = String(rest[..<hash])
        }
        var query: String?
        if let question = rest.firstIndex(of: "?") {
            query = String(rest[rest.index(after: question)...])
            rest = String(rest[..<question])
        }
        var authority = rest
        var path = ""
        if let slash = rest.firstIndex(of: "/") {
            authority = String(rest[..<slash])
            path = String(rest[slash...])
        }
        if let at = authority.lastIndex(of: "@") {
            let userInfo = authority[..<at]
            let host = authority[authority.index(after: at)...]
            let user = userInfo.split(separator: ":", maxSplits: 1).first.map(String.init) ?? ""
            authority = userInfo.contains(":") ? "\(user):\(mask)@\(host)" : "\(mask)@\(host)"
        }
        if scheme.hasPrefix("rtmp") { path = redactStreamKey(path) }

        var result = "\(scheme)://\(authority)\(path)"
        if let query { result += "?" + redactQuery(query) }
        if !fragment.isEmpty { result += fragment }
        return result
    }

    /// Redacts every URL-looking word inside free text (e.g. a libav log line).
    public static func redactText(_ text: String) -> String {
        guard text.contains("://") else { return text }
        var out: [Substring] = []
        for word in text.split(separator: " ", omittingEmptySubsequences: false) {
            if word.contains("://") {
                let trimmed = word.trimmingQuotes()
                let redacted = redact(String(trimmed.core))
                out.append(Substring(trimmed.leading + redacted + trimmed.trailing))
            } else {
                out.append(word)
            }
        }
        return out.joined(separator: " ")
    }

    /// RTMP URLs are rtmp://host/app/streamkey: keep the app, hide the key.
    static func redactStreamKey(_ path: String) -> String {
        var parts = path.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        // parts[0] is "" (leading slash); parts[1] is the application.
        if parts.count >= 3, !parts[parts.count - 1].isEmpty {
            parts[parts.count - 1] = mask
        }
        return parts.joined(separator: "/")
    }

    static func redactQuery(_ query: String) -> String {
        query.split(separator: "&", omittingEmptySubsequences: false).map { pair -> String in
            guard let equals = pair.firstIndex(of: "=") else { return String(pair) }
            let name = pair[..<equals].lowercased()
            return secretNames.contains(name) ? "\(pair[..<equals])=\(mask)" : String(pair)
        }.joined(separator: "&")
    }
}

private extension Substring {
    func trimmingQuotes() -> (leading: String, core: Substring, trailing: String) {
        let quotes: Set<Character> = ["'", "\"", "(", ")", "<", ">", ","]
        var start = startIndex
        var end = endIndex
        while start < end, quotes.contains(self[start]) { start = index(after: start) }
        while end > start, quotes.contains(self[index(before: end)]) { end = index(before: end) }
        return (String(self[startIndex..<start]), self[start..<end], String(self[end..<endIndex]))
    }
}
