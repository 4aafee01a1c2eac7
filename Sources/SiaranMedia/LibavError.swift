import CFFmpeg

/// A failed libav call: the raw code, libav's own message for it, and which function failed.
public struct LibavError: Error, CustomStringConvertible, Sendable {
    /// The negative AVERROR code the call returned.
    public let code: Int32
    /// The libav function that returned it.
    public let function: String

    public init(code: Int32, function: String) {
        self.code = code
        self.function = function
    }

    /// libav's human-readable text for `code` (e.g. "Connection refused").
    public var message: String { Self.describe(code) }

    public var description: String { "\(message) (\(function) returned \(code))" }

    /// True when the call stopped because the interrupt callback asked it to (timeout or stop).
    public var isInterrupted: Bool { code == SIARAN_AVERROR_EXIT }
    /// True at a clean end of input.
    public var isEndOfFile: Bool { code == SIARAN_AVERROR_EOF }
    /// The POSIX errno carried inside the code, if any (AVERROR(e) == -e).
    public var posixErrno: Int32? { code < 0 && code > -4096 ? -code : nil }

    /// libav's text for an error code.
    public static func describe(_ code: Int32) -> String {
        var buffer = [CChar](repeating: 0, count: 256)
        if av_strerror(code, &buffer, buffer.count) < 0 { return "unknown libav error \(code)" }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}

@inline(__always)
func check(_ result: Int32, _ function: String) throws(LibavError) -> Int32 {
    if result < 0 { throw LibavError(code: result, function: function) }
    return result
}
