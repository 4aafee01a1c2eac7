import SiaranCore
import CFFmpeg

/// What one step of moving a packet from an input to the segmenter produced.
public enum PumpEvent: Sendable {
    /// A packet was taken; `finished` is the segment it completed, if any.
    case packet(finished: SegmentRecord?)
    /// The input ended cleanly.
    case endOfInput
    /// The input failed to read. `stalled` is true when no data came within the read timeout.
    case readFailed(LibavError, stalled: Bool)
}

/// Moves packets from an `InputSource` into a `Segmenter`, one at a time, through one reused packet.
///
/// Confined to the recorder's thread.
public final class PacketPump {
    private var packet: UnsafeMutablePointer<AVPacket>? = av_packet_alloc()
    /// Bytes of media read from inputs so far.
    public private(set) var bytesRead: Int64 = 0
    /// Packets libav flagged as corrupt (kept: the decoder conceals what it can).
    public private(set) var corruptPackets = 0

    public init() {}

    deinit { av_packet_free(&packet) }

    /// Reads one packet from `input` and hands it to `segmenter`. Write failures throw.
    public func step(from input: InputSource, into segmenter: Segmenter) throws(MediaError) -> PumpEvent {
        let index: Int?
        do {
            index = try input.read(into: packet!)
        } catch {
            return .readFailed(error, stalled: input.stalled(error))
        }
        guard let index else { return .endOfInput }
        bytesRead += Int64(packet!.pointee.size)
        if packet!.pointee.flags & SIARAN_PKT_FLAG_CORRUPT != 0 { corruptPackets += 1 }
        return .packet(finished: try segmenter.take(packet!, index: index))
    }
}
