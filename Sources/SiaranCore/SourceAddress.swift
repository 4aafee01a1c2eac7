/// Source addresses as people paste them, made into what libav opens.
public enum SourceAddress {
    /// `-` and `pipe:` read standard input (`streamlink -O … | siaran record -`); streamlink-style
    /// `hls://`, `hlsvariant://` and `dash://` prefixes are dropped (`hls://host/x.m3u8` is https).
    public static func normalize(_ text: String) -> String {
        if text == "-" || text == "pipe:" { return "pipe:0" }
        for prefix in ["hls://", "hlsvariant://", "dash://"] where text.lowercased().hasPrefix(prefix) {
            let rest = String(text.dropFirst(prefix.count))
            return rest.contains("://") ? rest : "https://" + rest
        }
        return text
    }

    /// Whether the normalized address is standard input (it ends when the writer closes it).
    public static func isStandardInput(_ address: String) -> Bool { address.hasPrefix("pipe:") }

    /// The schemes of network sources: the only ones a scheduled recording may name, and the only
    /// ones an address found in a web page may have, whatever the page says.
    public static let networkSchemes: Set<String> = ["http", "https", "hls", "rtmp", "rtmps", "rtsp", "rtsps", "srt", "udp", "tcp", "rtp"]

    /// Whether `address` is a network source (`scheme://…` with one of `networkSchemes`), as opposed
    /// to what reads this machine's own data: a path, `file:`, `pipe:`, `concat:`, `subfile:`, `data:`…
    public static func isNetwork(_ address: String) -> Bool {
        guard let end = address.range(of: "://") else { return false }
        let scheme = address[..<end.lowerBound].lowercased()
        return networkSchemes.contains(scheme)
    }
}
