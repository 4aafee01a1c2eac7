/// What went wrong with a media source or the files written from it, in words a user can act on.
public enum MediaError: Error, CustomStringConvertible, Sendable {
    /// The source could not be opened (unreachable, refused, not found, not a stream).
    case cannotOpen(source: String, reason: String)
    /// The source opened but carries neither audio nor video.
    case noAudioOrVideo(source: String)
    /// The disk filled up while writing `path`.
    case diskFull(path: String)
    /// Writing `path` failed for another reason.
    case writeFailed(path: String, reason: String)
    /// The source is of a kind Siaran cannot record correctly (the reason says what to do instead).
    case unsupported(source: String, reason: String)
    /// The source is a live (dynamic) DASH manifest, which libav 5.1 reads wrongly (media repeated):
    /// the recorder reads it through streamlink instead (`DashFetcher`).
    case liveDash(source: String)
    /// A listened-for push came to another RTMP application/stream key or RTSP path: refused.
    case refusedPush(listeningOn: String, reason: String)
    /// A libav call failed in a way that has no better description.
    case libav(LibavError, context: String)

    public var description: String {
        switch self {
        case let .cannotOpen(source, reason):
            return "cannot open \(source): \(reason)"
        case let .noAudioOrVideo(source):
            return "\(source) has no audio or video stream to record"
        case let .diskFull(path):
            return "the disk is full (writing \(path))"
        case let .writeFailed(path, reason):
            return "cannot write \(path): \(reason)"
        case let .unsupported(source, reason):
            return "cannot record \(source): \(reason)"
        case let .liveDash(source):
            return "\(source) is a live DASH stream, which libav 5.1 reads wrongly; it is read through streamlink (Scripts/setup installs it)"
        case let .refusedPush(address, reason):
            return "refused a push to \(address): \(reason)"
        case let .libav(error, context):
            return "\(context): \(error)"
        }
    }
}
