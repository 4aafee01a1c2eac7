/// Removes credentials from a source URL before it is shown, logged or stored. Secret by default
/// where in doubt: scheme, host and the shape of the path stay (so people can tell sources apart),
/// while the password of the user info, every query and fragment value (but plain numbers and a few
/// well-known harmless options), every path part that follows a secret-looking name (`/sig/X/`),
/// every opaque path part (10 or more characters mixing letters and digits, or 32 or more: signatures, tokens, stream keys) and every RTMP path part after the
/// application are replaced by `mask`.
public enum Redaction {
    /// What replaces a secret.
    public static let mask = "***"

    /// Names whose following path part is a secret (`…/sig/ABC/…`, `…/token/XYZ/…`).
    static let secretNames: Set<String> = [
        "token", "key", "secret", "password", "passwd", "pass", "pwd", "auth", "authorization", "sig", "lsig", "signature",
        "access_token", "accesstoken", "access-token", "api_key", "apikey", "api-key", "auth_key", "streamkey", "stream_key",
        "passphrase", "streamid", "credential", "credentials", "session", "sessionid", "jwt", "policy", "hdnts", "hdnea", "hdntl",
        "txsecret", "wowzatokenhash", "x-goog-signature", "x-amz-signature", "x-amz-credential", "x-amz-security-token",
    ]

    /// Query options whose values are shown (they say how to read a stream, never who may).
    static let harmlessOptions: Set<String> = [
        "quality", "format", "mode", "transport", "rtsp_transport", "listen", "latency", "pkt_size", "timeout", "fifo_size",
        "overrun_nonfatal", "lang", "language", "width", "height", "bitrate", "resolution", "codec", "type", "rw_timeout",
    ]

    /// File extensions of media and playlists: such a path part is a name, not a secret.
    static let mediaExtensions: Set<String> = ["m3u8", "mpd", "ts", "mp4", "m4s", "m4a", "m4v", "flv", "aac", "vtt", "srt", "mkv", "webm", "sdp"]

    /// `url` with every secret replaced by `mask`; text that is not a URL is returned unchanged.
    public static func redact(_ url: String) -> String {
        guard let schemeEnd = url.range(of: "://") else { return url }
        let scheme = url[..<schemeEnd.lowerBound].lowercased()
        var rest = Substring(url[schemeEnd.upperBound...])

        // User info may hold '/', '#' or '?' (an unescaped password): it ends at the last '@' before the path's first '/'
        // that comes after it, so look for '@' first.
        var userInfo: Substring?
        if let at = rest.lastIndex(of: "@"), !rest[..<at].contains("/") || rest[..<at].contains(":") {
            userInfo = rest[..<at]
            rest = rest[rest.index(after: at)...]
        }
        var fragment: Substring?
        // SRT stream ids begin with `#!::`: in srt:// URLs '#' is part of the query, not a fragment.
        if scheme != "srt", let hash = rest.firstIndex(of: "#") {
            fragment = rest[rest.index(after: hash)...]
            rest = rest[..<hash]
        }
        var query: Substring?
        if let question = rest.firstIndex(of: "?") {
            query = rest[rest.index(after: question)...]
            rest = rest[..<question]
        }
        let slash = rest.firstIndex(of: "/") ?? rest.endIndex
        let host = rest[..<slash]
        let path = rest[slash...]

        var result = scheme + "://"
        if let userInfo {
            let user = userInfo.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
            result += userInfo.contains(":") ? "\(user):\(mask)@" : "\(mask)@"
        }
        result += host + redactPath(path, rtmp: scheme.hasPrefix("rtmp"))
        if let query { result += "?" + redactParameters(query, separator: "&") }
        if let fragment { result += "#" + redactParameters(fragment, separator: "&") }
        return result
    }

    /// The parts of `url` that `redact` hides (passwords, tokens, keys), so text that quotes them
    /// without the URL around them (a libav log line: "expecting KEY") can be cleaned too.
    public static func secrets(of url: String) -> [String] {
        let delimiters = Set<Character>("/?&=;#:@,!")
        func pieces(_ text: String) -> [String] { text.split(whereSeparator: { delimiters.contains($0) }).map(String.init) }
        let kept = Set(pieces(redact(url)))
        return Array(Set(pieces(url).filter { $0.count >= 4 && !kept.contains($0) })).sorted { $0.count > $1.count }
    }

    /// `text` with every one of `secrets` masked, and every URL in it redacted.
    public static func redactText(_ text: String, secrets: [String]) -> String {
        var out = redactText(text)
        for secret in secrets where out.contains(secret) { out = out.replacingOccurrences(of: secret, with: mask) }
        return out
    }

    /// Redacts every URL-looking word inside free text (e.g. a libav log line); spaces and line
    /// breaks between words stay as they were.
    public static func redactText(_ text: String) -> String {
        guard text.contains("://") else { return text }
        var out = ""
        var word = ""
        func flush() {
            if word.contains("://") {
                let trimmed = Substring(word).trimmingQuotes()
                out += trimmed.leading + redact(String(trimmed.core)) + trimmed.trailing
            } else {
                out += word
            }
            word = ""
        }
        for character in text {
            if character.isWhitespace {
                flush()
                out.append(character)
            } else {
                word.append(character)
            }
        }
        flush()
        return out
    }

    /// The path with its secret parts masked; `;name=value` parameters inside a part lose their values.
    static func redactPath(_ path: Substring, rtmp: Bool) -> String {
        var parts = path.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        // parts[0] is "" (the leading slash).
        var maskNext = false
        let named = parts.indices.filter { !parts[$0].isEmpty }
        for index in parts.indices where !parts[index].isEmpty {
            var part = parts[index]
            var parameters = ""
            if let semicolon = part.firstIndex(of: ";") {
                parameters = ";" + redactParameters(part[part.index(after: semicolon)...], separator: ";")
                part = String(part[..<semicolon])
            }
            // RTMP: rtmp://host/app/KEY — the application stays, everything after it is the key; a
            // single part may be the key itself.
            let rtmpKey = rtmp && (index != named.first || named.count == 1)
            if maskNext || rtmpKey || isOpaque(part) {
                part = mask
            }
            maskNext = secretNames.contains(part.lowercased())
            parts[index] = part + parameters
        }
        return parts.joined(separator: "/")
    }

    /// Whether a path part looks like a signature, token or key rather than a name.
    static func isOpaque(_ part: String) -> Bool {
        var base = Substring(part)
        if let dot = part.lastIndex(of: "."), mediaExtensions.contains(part[part.index(after: dot)...].lowercased()) {
            base = part[..<dot]
        }
        let letters = base.contains { $0.isLetter }
        let digits = base.contains { $0.isNumber }
        return base.count >= 32 || (base.count >= 10 && letters && digits)
    }

    /// `name=value` pairs with every value masked but plain numbers and harmless options.
    static func redactParameters(_ text: Substring, separator: Character) -> String {
        text.split(separator: separator, omittingEmptySubsequences: false).map { pair -> String in
            guard let equals = pair.firstIndex(of: "=") else {
                // A bare value (`#TOKEN`, `?KEY`): opaque ones are secrets.
                return isOpaque(String(pair)) ? mask : String(pair)
            }
            let name = pair[..<equals]
            let value = pair[pair.index(after: equals)...]
            if value.isEmpty || isPlainNumber(value) || harmlessOptions.contains(name.lowercased()) && value.count <= 16 && !value.contains("%") {
                if !secretNames.contains(name.lowercased().removingPercentEscapes()) { return String(pair) }
            }
            return "\(name)=\(mask)"
        }.joined(separator: String(separator))
    }

    static func isPlainNumber(_ value: Substring) -> Bool {
        value.count <= 12 && value.allSatisfy { $0.isASCII && $0.isNumber }
    }
}

private extension String {
    /// `%5F` → `_` for ASCII escapes (enough to compare parameter names).
    func removingPercentEscapes() -> String {
        var out = ""
        var iterator = makeIterator()
        while let c = iterator.next() {
            if c == "%", let h = iterator.next(), let l = iterator.next(), let byte = UInt8(String([h, l]), radix: 16), byte < 0x80 {
                out.append(Character(Unicode.Scalar(byte)))
            } else {
                out.append(c)
            }
        }
        return out
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
