import Foundation

/// Reads what an RTSP client pushing a stream (ANNOUNCE, SETUP, RECORD; RFC 2326 §10) sends up to its
/// RECORD, and writes it the way libav 5.1's RTSP listener (`rtsp_flags listen`) takes it.
///
/// libav's listener refuses, with messages that mean nothing to an officer, two things encoders do:
/// - `Transport: …;mode=RECORD` (GStreamer's `rtspclientsink`, as RFC 2326 §12.39 writes the method):
///   `ff_rtsp_parse_transport` (libavformat/rtsp.c) compares the mode with `strcmp(buf, "record")`,
///   so an upper-case mode is no mode, and `rtsp_read_setup` (rtspdec.c) answers "mode=record/receive
///   not set or transport protocol not supported (yet)" and fails the open ("Invalid data found");
/// - a connection that starts with anything but OPTIONS or ANNOUNCE (an encoder retrying its SETUP on
///   a new connection after that refusal): `parse_command_line` (rtspdec.c) logs "Unexpected command
///   in Idle State" and fails the open with AVERROR_PROTOCOL_NOT_FOUND ("Protocol not found").
/// So the mode is written in lower case, a connection that does not begin with OPTIONS or ANNOUNCE is
/// closed before libav sees it (the listener goes on listening), and each request's address is
/// written with libav's own host and port (its SETUP compares the whole control URL, host and port
/// included, with the one it made from the address it listens on). After RECORD the connection
/// (interleaved RTP) is relayed as it is.
struct RTSPPushReader: PushCheck {
    /// `rtsp://HOST:PORT` of libav's inner listener: request addresses are rewritten to it.
    let innerAuthority: String

    private var pending: [UInt8] = []
    private var requests = 0
    /// libav's answers not yet passed on (an unfinished one).
    private var answers: [UInt8] = []
    /// Interleaved channels the SETUPs so far asked for.
    private var channels: Set<Int> = []

    /// Requests libav's listener takes before RECORD (after OPTIONS or ANNOUNCE came first).
    private static let taken: Set<String> = ["OPTIONS", "ANNOUNCE", "SETUP", "RECORD"]
    /// The longest request head and body accepted (an SDP is a few kilobytes; libav takes 4 KB).
    private static let largestHead = 16 * 1024
    private static let largestBody = 64 * 1024

    init(innerAuthority: String) {
        self.innerAuthority = innerAuthority
    }

    mutating func feed(_ bytes: [UInt8]) -> PushStep {
        pending += bytes
        var ready: [UInt8] = []
        while !pending.isEmpty {
            if pending[0] == UInt8(ascii: "$") { return .refused("RTP data before the RTSP push's RECORD") }
            guard let headEnd = Self.find([13, 10, 13, 10], in: pending) else {
                return pending.count > Self.largestHead ? .refused("an RTSP request head larger than 16 kB") : .forward(ready)
            }
            let head = String(decoding: pending[..<headEnd], as: UTF8.self)
            var lines = head.components(separatedBy: "\r\n")
            let requestLine = lines[0].split(separator: " ", omittingEmptySubsequences: true).map(String.init)
            guard requestLine.count == 3, requestLine[2].hasPrefix("RTSP/") else { return .refused("not an RTSP request") }
            let method = requestLine[0]
            if requests == 0, method != "OPTIONS", method != "ANNOUNCE" {
                return .refused("an RTSP \(method) on a new connection before ANNOUNCE (the encoder must start its push again with ANNOUNCE)")
            }
            guard Self.taken.contains(method) else { return .refused("an RTSP \(method) before RECORD, which libav's listener does not take") }
            var bodyLength = 0
            for index in lines.indices.dropFirst() {
                let parts = lines[index].split(separator: ":", maxSplits: 1).map(String.init)
                guard parts.count == 2 else { continue }
                let name = parts[0].trimmingCharacters(in: .whitespaces).lowercased()
                if name == "content-length" {
                    guard let length = Int(parts[1].trimmingCharacters(in: .whitespaces)), length >= 0, length <= Self.largestBody else {
                        return .refused("an RTSP request with a wrong or too large Content-Length")
                    }
                    bodyLength = length
                } else if name == "transport" {
                    lines[index] = parts[0] + ":" + Self.distinctChannels(Self.lowerCaseMode(parts[1]), used: &channels)
                }
            }
            guard pending.count >= headEnd + 4 + bodyLength else { return .forward(ready) }
            lines[0] = [method, rewrite(requestLine[1]), requestLine[2]].joined(separator: " ")
            ready += Array(lines.joined(separator: "\r\n").utf8) + [13, 10, 13, 10] + pending[(headEnd + 4)..<(headEnd + 4 + bodyLength)]
            pending.removeFirst(headEnd + 4 + bodyLength)
            requests += 1
            if method == "RECORD" {
                ready += pending
                pending = []
                return .accepted(ready)
            }
        }
        return .forward(ready)
    }

    /// libav's answers, with `mode=receive` in a Transport header written `mode=RECORD`: libav answers
    /// a SETUP with "mode=receive" (rtspdec.c), which is no RTSP method, and GStreamer's
    /// `gst_rtsp_transport_parse` refuses the whole header ("failed to parse transport"), then never
    /// sends a packet. Interleaved data (`$`, RTCP) goes on as it is.
    mutating func reply(_ bytes: [UInt8]) -> [UInt8] {
        answers += bytes
        var out: [UInt8] = []
        while !answers.isEmpty {
            if answers[0] == UInt8(ascii: "$") {
                guard answers.count >= 4 else { break }
                let frame = 4 + (Int(answers[2]) << 8 | Int(answers[3]))
                guard answers.count >= frame else { break }
                out += answers[..<frame]
                answers.removeFirst(frame)
                continue
            }
            guard let headEnd = Self.find([13, 10, 13, 10], in: answers) else {
                if answers.count > Self.largestHead { out += answers; answers = [] }  // not RTSP: as it is
                break
            }
            var lines = String(decoding: answers[..<headEnd], as: UTF8.self).components(separatedBy: "\r\n")
            var bodyLength = 0
            for index in lines.indices.dropFirst() {
                let parts = lines[index].split(separator: ":", maxSplits: 1).map(String.init)
                guard parts.count == 2 else { continue }
                switch parts[0].trimmingCharacters(in: .whitespaces).lowercased() {
                case "content-length": bodyLength = min(max(Int(parts[1].trimmingCharacters(in: .whitespaces)) ?? 0, 0), Self.largestBody)
                case "transport": lines[index] = parts[0] + ":" + parts[1].replacingOccurrences(of: "mode=receive", with: "mode=RECORD")
                default: break
                }
            }
            guard answers.count >= headEnd + 4 + bodyLength else { break }
            out += Array(lines.joined(separator: "\r\n").utf8) + [13, 10, 13, 10] + answers[(headEnd + 4)..<(headEnd + 4 + bodyLength)]
            answers.removeFirst(headEnd + 4 + bodyLength)
        }
        return out
    }

    /// `rtsp://ANY-HOST:ANY-PORT/path` with libav's inner host and port; anything else as it is.
    private func rewrite(_ address: String) -> String {
        guard address.lowercased().hasPrefix("rtsp://") else { return address }
        let rest = address.dropFirst("rtsp://".count)
        let path = rest.firstIndex(of: "/").map { rest[$0...] } ?? ""
        return innerAuthority + path
    }

    /// A Transport header's value with `mode=RECORD` (or `"RECORD"`, any case) as libav's `record`.
    static func lowerCaseMode(_ value: String) -> String {
        value.components(separatedBy: ",").map { spec in
            spec.components(separatedBy: ";").map { parameter in
                let trimmed = parameter.trimmingCharacters(in: .whitespaces)
                guard trimmed.lowercased().hasPrefix("mode=") else { return parameter }
                let mode = trimmed.dropFirst(5).trimmingCharacters(in: CharacterSet(charactersIn: "\""))
                return mode.lowercased() == "record" ? "mode=record" : mode.lowercased() == "receive" ? "mode=receive" : parameter
            }.joined(separator: ";")
        }.joined(separator: ",")
    }

    /// A Transport header's value whose `interleaved=A-B` pair is one no earlier SETUP took: GStreamer
    /// asks for 0-1 for every stream, expecting the server to choose, and libav answers what was asked
    /// (rtspdec.c), so both streams would share channels 0-1.
    static func distinctChannels(_ value: String, used: inout Set<Int>) -> String {
        value.components(separatedBy: ";").map { parameter in
            let trimmed = parameter.trimmingCharacters(in: .whitespaces)
            guard trimmed.lowercased().hasPrefix("interleaved=") else { return parameter }
            let pair = trimmed.dropFirst("interleaved=".count).split(separator: "-").compactMap { Int($0) }
            guard let first = pair.first, first >= 0 else { return parameter }
            let last = pair.count > 1 ? pair[1] : first
            var start = first
            while used.contains(start) || used.contains(start + (last - first)) { start += 2 }
            for channel in start...(start + max(last - first, 0)) { used.insert(channel) }
            if start == first { return parameter }
            return "interleaved=\(start)-\(start + (last - first))"
        }.joined(separator: ";")
    }

    private static func find(_ needle: [UInt8], in bytes: [UInt8]) -> Int? {
        guard bytes.count >= needle.count else { return nil }
        for start in 0...(bytes.count - needle.count) where bytes[start] == needle[0] && Array(bytes[start..<start + needle.count]) == needle {
            return start
        }
        return nil
    }
}
