/// Reads what an RTMP client sends up to its `publish` command, so that the stream key is checked
/// before libav sees the command: the handshake (C0, C1, C2), then the chunk stream (RTMP 1.0 §5.3),
/// reassembling command messages (AMF0, §7.1.1) from their chunks.
///
/// Everything the client sends goes on to libav only once it is known to be harmless: bytes of an
/// unfinished chunk wait, and a chunk that completes a `connect` with another application, or a
/// `releaseStream`/`FCPublish`/`publish`/`play` with another name, is never passed on. Media before
/// an accepted `publish` is refused. After it, the reader is done and the connection is relayed as is.
struct RTMPPushReader: PushCheck {
    typealias Step = PushStep

    /// The application and stream key listened for (from the listened URL's path: `/APP/KEY`).
    let application: String
    let key: String

    private var pending: [UInt8] = []
    private var handshakeLeft = 1 + 1536 + 1536
    private var chunkSize = 128
    private var streams: [Int: ChunkStream] = [:]
    private var connected = false

    private struct ChunkStream {
        var length = 0
        var type: UInt8 = 0
        var extendedTimestamp = false
        var payload: [UInt8] = []
    }

    /// Commands that name a stream: the name must be the key.
    private static let namingCommands: Set<String> = ["releaseStream", "FCPublish", "publish", "play", "FCSubscribe", "play2"]
    /// Longest message accepted before the push is known to be ours (commands are a few hundred bytes).
    private static let largestMessage = 64 * 1024

    init(application: String, key: String) {
        self.application = application
        self.key = key
    }

    /// The application and key an `rtmp://HOST:PORT/APP/KEY` address listens for.
    init?(listeningURL url: String) {
        guard let afterScheme = url.range(of: "://") else { return nil }
        let rest = url[afterScheme.upperBound...]
        guard let slash = rest.firstIndex(of: "/") else { return nil }
        let path = rest[rest.index(after: slash)...].split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)[0]
        guard let appEnd = path.firstIndex(of: "/") else { return nil }
        let app = String(path[..<appEnd]), key = String(path[path.index(after: appEnd)...])
        guard !app.isEmpty, !key.isEmpty else { return nil }
        self.init(application: app, key: key)
    }

    /// Takes the next bytes the client sent.
    mutating func feed(_ bytes: [UInt8]) -> Step {
        pending += bytes
        var ready: [UInt8] = []
        if handshakeLeft > 0 {
            if pending.first.map({ $0 != 3 }) == true, handshakeLeft == 1 + 1536 + 1536 {
                return .refused("not an RTMP connection")
            }
            let take = min(handshakeLeft, pending.count)
            ready += pending[..<take]
            pending.removeFirst(take)
            handshakeLeft -= take
            if handshakeLeft > 0 { return .forward(ready) }
        }
        while true {
            let (outcome, used) = nextChunk()
            switch outcome {
            case .incomplete:
                return .forward(ready)
            case let .refused(reason):
                return .refused(reason)
            case .harmless:
                ready += pending[..<used]
                pending.removeFirst(used)
            case .publishAccepted:
                ready += pending
                pending = []
                return .accepted(ready)
            }
        }
    }

    private enum ChunkOutcome { case incomplete, harmless, publishAccepted, refused(String) }

    /// Parses the chunk at the start of `pending`; `used` is its size when it is complete.
    private mutating func nextChunk() -> (ChunkOutcome, used: Int) {
        var at = 0
        func byte() -> Int? { at < pending.count ? Int(pending[at]) : nil }
        func take(_ count: Int) -> Int? {
            guard at + count <= pending.count else { return nil }
            defer { at += count }
            return pending[at..<at + count].reduce(0) { $0 << 8 | Int($1) }
        }
        guard let first = take(1) else { return (.incomplete, 0) }
        let format = first >> 6
        var id = first & 0x3f
        if id == 0 { guard let next = take(1) else { return (.incomplete, 0) }; id = 64 + next }
        else if id == 1 {
            guard let low = take(1), let high = byte() else { return (.incomplete, 0) }
            at += 1
            id = 64 + low + high * 256
        }
        var stream = streams[id] ?? ChunkStream()
        if format < 3, !stream.payload.isEmpty { return (.refused("a malformed RTMP chunk stream"), 0) }
        if format > 0, streams[id] == nil { return (.refused("a malformed RTMP chunk stream"), 0) }
        if format < 3 {
            guard let timestamp = take(3) else { return (.incomplete, 0) }
            stream.extendedTimestamp = timestamp == 0xFFFFFF
            if format < 2 {
                guard let length = take(3), let type = take(1) else { return (.incomplete, 0) }
                stream.length = length
                stream.type = UInt8(type)
                if format == 0 { guard take(4) != nil else { return (.incomplete, 0) } }
            }
        }
        if stream.extendedTimestamp { guard take(4) != nil else { return (.incomplete, 0) } }
        if stream.length > Self.largestMessage { return (.refused("an RTMP message too large before the push named its stream"), 0) }
        let size = min(chunkSize, stream.length - stream.payload.count)
        guard at + size <= pending.count else { return (.incomplete, 0) }
        stream.payload += pending[at..<at + size]
        at += size
        guard stream.payload.count == stream.length else {
            streams[id] = stream
            return (.harmless, at)
        }
        let message = stream.payload
        stream.payload = []
        streams[id] = stream
        return (handle(type: stream.type, message), at)
    }

    /// Decides on one whole message the client sent.
    private mutating func handle(type: UInt8, _ message: [UInt8]) -> ChunkOutcome {
        switch type {
        case 1:
            // Set Chunk Size: 31 bits.
            guard message.count >= 4 else { return .refused("a malformed RTMP chunk size") }
            let size = message[0..<4].reduce(0) { $0 << 8 | Int($1) } & 0x7fff_ffff
            guard size > 0 else { return .refused("a malformed RTMP chunk size") }
            chunkSize = size
            return .harmless
        case 2, 3, 4, 5, 6:
            return .harmless
        case 17, 20:
            var reader = AMF0Reader(message.first == 0 && type == 17 ? Array(message.dropFirst()) : message)
            return command(&reader)
        default:
            return .refused("media before the push named its stream")
        }
    }

    private mutating func command(_ reader: inout AMF0Reader) -> ChunkOutcome {
        guard let name = reader.string() else { return .refused("a malformed RTMP command") }
        if name == "connect" {
            guard reader.skip(), let app = reader.objectString(key: "app") else { return .refused("an RTMP connect without an application") }
            guard Self.same(app, application) else { return .refused("another RTMP application") }
            connected = true
            return .harmless
        }
        guard Self.namingCommands.contains(name) else { return .harmless }
        guard connected else { return .refused("an RTMP \(name) before connect") }
        // Transaction id, a null command object, then the stream name.
        guard reader.skip(), reader.skip(), let streamName = reader.string() else { return .refused("an RTMP \(name) without a stream name") }
        guard Self.same(streamName, key) else { return .refused("another stream key") }
        return name == "publish" ? .publishAccepted : .harmless
    }

    /// Compares in time that depends only on the lengths, not on where the two first differ.
    static func same(_ given: String, _ expected: String) -> Bool {
        let a = Array(given.utf8), b = Array(expected.utf8)
        var difference = UInt8(a.count == b.count ? 0 : 1)
        for index in 0..<max(a.count, b.count) {
            difference |= (index < a.count ? a[index] : 0) ^ (index < b.count ? b[index] : 0xff)
        }
        return difference == 0
    }
}

/// Just enough AMF0 (Action Message Format, §2 of its specification) for RTMP commands.
struct AMF0Reader {
    private let bytes: [UInt8]
    private var at = 0

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    private mutating func take(_ count: Int) -> ArraySlice<UInt8>? {
        guard count >= 0, at + count <= bytes.count else { return nil }
        defer { at += count }
        return bytes[at..<at + count]
    }

    private mutating func length(_ width: Int) -> Int? { take(width).map { $0.reduce(0) { $0 << 8 | Int($1) } } }

    /// `width` bytes of length, then that many bytes.
    private mutating func counted(_ width: Int) -> ArraySlice<UInt8>? {
        guard let count = length(width) else { return nil }
        return take(count)
    }

    /// A string value (marker 2, or 12 for a long string).
    mutating func string() -> String? {
        guard let marker = take(1)?.first else { return nil }
        switch marker {
        case 2: return counted(2).map { String(decoding: $0, as: UTF8.self) }
        case 12: return counted(4).map { String(decoding: $0, as: UTF8.self) }
        default: return nil
        }
    }

    /// Skips one value of any kind this reader knows; false on anything else.
    mutating func skip(depth: Int = 0) -> Bool {
        guard depth < 8, let marker = take(1)?.first else { return false }
        switch marker {
        case 0: return take(8) != nil
        case 1: return take(1) != nil
        case 2: return counted(2) != nil
        case 12: return counted(4) != nil
        case 5, 6: return true
        case 11: return take(10) != nil
        case 3, 8:
            if marker == 8, take(4) == nil { return false }
            return properties(depth: depth) { _, reader in reader.skip(depth: depth + 1) }
        case 10:
            guard let count = length(4) else { return false }
            for _ in 0..<min(count, 4096) where !skip(depth: depth + 1) { return false }
            return count <= 4096
        default: return false
        }
    }

    /// Reads an object (marker 3) and returns the string value of `key`, if it has one.
    mutating func objectString(key: String) -> String? {
        guard take(1)?.first == 3 else { return nil }
        var found: String?
        let complete = properties(depth: 0) { name, reader in
            if name == key, found == nil {
                found = reader.string()
                return found != nil
            }
            return reader.skip(depth: 1)
        }
        return complete ? found : nil
    }

    /// Walks an object's properties up to its end marker (an empty name, then 9).
    private mutating func properties(depth: Int, _ value: (String, inout AMF0Reader) -> Bool) -> Bool {
        for _ in 0..<1024 {
            guard let count = length(2), let name = take(count) else { return false }
            if count == 0 { return take(1)?.first == 9 }
            guard value(String(decoding: name, as: UTF8.self), &self) else { return false }
        }
        return false
    }
}

/// What a push gate does with the bytes a client sent so far.
enum PushStep: Equatable {
    /// Pass these bytes on (possibly none) and read more.
    case forward([UInt8])
    /// Pass these bytes on, then relay the rest of the connection unread: the push is accepted.
    case accepted([UInt8])
    /// Close the connection; nothing more goes on. The reason names no key.
    case refused(String)
}

/// The check a push gate makes on one client's bytes before libav sees them (RTMP, RTSP), and what
/// it makes of libav's answers before the client sees them.
protocol PushCheck {
    mutating func feed(_ bytes: [UInt8]) -> PushStep
    mutating func reply(_ bytes: [UInt8]) -> [UInt8]
}

extension PushCheck {
    /// libav's answers go on as they are.
    mutating func reply(_ bytes: [UInt8]) -> [UInt8] { bytes }
}
