/// What kind of elementary stream a track carries.
public enum StreamKind: String, Codable, Sendable {
    case video, audio, subtitle
}

/// A plain description of one recorded stream, for manifests and listings.
public struct StreamDescription: Codable, Sendable, Equatable {
    public var kind: StreamKind
    public var codec: String
    public var width: Int?
    public var height: Int?
    public var sampleRate: Int?
    public var channels: Int?
    public var bitRate: Int?

    public init(kind: StreamKind, codec: String, width: Int? = nil, height: Int? = nil,
                sampleRate: Int? = nil, channels: Int? = nil, bitRate: Int? = nil) {
        self.kind = kind
        self.codec = codec
        self.width = width
        self.height = height
        self.sampleRate = sampleRate
        self.channels = channels
        self.bitRate = bitRate
    }
}

extension StreamDescription {
    /// "h264 640x360", "aac 48000 Hz"
    public var summary: String {
        switch kind {
        case .video: "\(codec) \(width ?? 0)x\(height ?? 0)"
        case .audio: "\(codec) \(sampleRate ?? 0) Hz"
        case .subtitle: "\(codec) subtitles"
        }
    }
}
