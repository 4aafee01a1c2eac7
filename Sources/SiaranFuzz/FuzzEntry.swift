import Foundation
import SiaranArchive
import SiaranCore
import SiaranCatalogSQLite
import SiaranMedia
import SiaranSearch

// libFuzzer harness (Fuzz/run builds it with -sanitize=fuzzer,address and links libFuzzer's main).
// SIARAN_FUZZ_TARGET picks the path under test:
//   media     bytes → libav demux → timeline → segment writer (TS and fMP4)
//   agenda    the agenda/roster YAML loader
//   redact    secrets planted in generated real-world URL shapes never survive redaction
//   events    the event log reader, the timeline built from it, and the ISO 8601 reader/writer
//   captions  the WebVTT/SRT reader (libav)
//   query     the search query parser, and the query run against a small catalog
// A crash, an assertion or an unexpected error kind stops the fuzzer with the input saved.

private let target = ProcessInfo.processInfo.environment["SIARAN_FUZZ_TARGET"] ?? "media"
private let scratch: String = {
    let path = "/dev/shm/siaran-fuzz-\(getpid())"
    try? FileManager.default.createDirectory(atPath: path + "/media", withIntermediateDirectories: true)
    return path
}()

private func write(_ data: UnsafeBufferPointer<UInt8>, to path: String) {
    _ = FileManager.default.createFile(atPath: path, contents: Data(data))
}

/// Runs async catalog calls from the fuzzer's thread (not one of the concurrency pool's).
private func blocking<T: Sendable>(_ work: @escaping @Sendable () async throws -> T) throws -> T {
    nonisolated(unsafe) var result: Result<T, any Error>?
    let done = DispatchSemaphore(value: 0)
    Task.detached {
        do { result = .success(try await work()) } catch { result = .failure(error) }
        done.signal()
    }
    done.wait()
    return try result!.get()
}

private let catalog: SQLiteCatalog? = {
    guard target == "query" else { return nil }
    let catalog = try! SQLiteCatalog(path: scratch + "/catalog.sqlite")
    var m = SessionManifest(id: "s", title: "Sosialisasi pemilu", kind: .imported, source: "x", createdAt: Date(),
                            segmentFormat: "ts", targetSegmentDuration: 6)
    m.state = .complete
    let session = IndexedSession(manifest: m, agenda: nil, timeline: SessionTimeline(events: [], end: 60),
                                 captions: [try! CaptionSource.write([Cue(start: 1, end: 2, text: "Pemilih mendapat informasi lintas KPU")],
                                                                     to: scratch + "/s.vtt")],
                                 fingerprint: "f")
    try! blocking { try await catalog.replace([session], freshAfter: nil) }
    return catalog
}()

private func runMedia(_ bytes: UnsafeBufferPointer<UInt8>) {
    let input = scratch + "/input"
    write(bytes, to: input)
    let folder = scratch + "/media"
    for name in (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? [] { unlink(folder + "/" + name) }
    var options = InputOptions()
    options.openTimeout = 5
    options.readTimeout = 5
    guard let source = try? InputSource(url: input, options: options, interrupt: InterruptControl()) else { return }
    let format: SegmentFormat = bytes.first.map { $0 & 1 == 0 } ?? true ? .ts : .fmp4
    let segmenter = Segmenter(directory: folder, format: format, targetDuration: 1, durableSegments: false)
    segmenter.beginConnection(source, wallClock: Date(), live: false, discontinuity: false)
    let pump = PacketPump()
    var errors = 0
    for _ in 0..<5000 {
        guard let event = try? pump.step(from: source, into: segmenter) else { break }
        if case .endOfInput = event { break }
        if case .readFailed = event { errors += 1; if errors > 16 { break } }
    }
    _ = try? segmenter.finishSegment()
}

/// A URL of a real-world shape built from the bytes, with one secret planted where such URLs carry
/// theirs; the secret must not survive `Redaction.redact`, nor `redactText` of a log line around it.
private func fuzzRedaction(_ bytes: UnsafeBufferPointer<UInt8>) {
    guard bytes.count >= 4 else { return }
    let alphabet = Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.~")
    let text = bytes.dropFirst(4).map { alphabet[Int($0) % alphabet.count] }
    let word = { (from: Int, length: Int) -> String in
        String(text.dropFirst(from).prefix(length)).isEmpty ? "x" : String(text.dropFirst(from).prefix(length))
    }
    // The secret: 12 characters with a letter and a digit, as tokens and keys are.
    let secret = "Q7" + (word(0, 10) + "k9k9k9k9k9").prefix(10).replacingOccurrences(of: ".", with: "z").replacingOccurrences(of: "~", with: "y")
    let schemes = ["https", "http", "rtmp", "rtmps", "rtsp", "srt", "hls+https"]
    let scheme = schemes[Int(bytes[0]) % schemes.count]
    let host = "h\(bytes[1]).example.org" + (bytes[1] & 1 == 0 ? ":\(1000 + Int(bytes[1]))" : "")
    let path = (0..<Int(bytes[2] % 4)).map { "/" + word(10 + $0 * 3, 3) }.joined()
    let name = ["token", "sig", "auth", "Policy", "hdntl", "x", "user", "id", "access%5Ftoken", "jwt"][Int(bytes[3]) % 10]
    let url: String
    switch bytes[3] % 8 {
    case 0: url = "\(scheme)://user:\(secret)@\(host)\(path)/live.m3u8"
    case 1: url = "\(scheme)://\(host)\(path)/live.m3u8?\(name)=\(secret)&n=1"
    case 2: url = "rtmp://\(host)/app/\(secret)" + (bytes[2] & 1 == 0 ? "/" : "")
    case 3: url = "\(scheme)://\(host)\(path)/sig/\(secret)/index.m3u8"
    case 4: url = "\(scheme)://\(host)\(path)/index.m3u8#\(name)=\(secret)"
    case 5: url = "srt://\(host)?streamid=#!::r=live,s=\(secret)&latency=200"
    case 6: url = "\(scheme)://\(host)\(path)/\(secret)\(word(20, 6))/index.m3u8"
    default: url = "\(scheme)://\(host)\(path)/live.m3u8;\(name)=\(secret)"
    }
    let redacted = Redaction.redact(url)
    if redacted.contains(secret) { fatalError("redact left the secret in \(url) -> \(redacted)") }
    if Redaction.redactText("Opening '\(url)' for reading").contains(secret) { fatalError("redactText left the secret in \(url)") }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func siaranFuzzOne(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = UnsafeBufferPointer(start: data, count: data == nil ? 0 : size)
    switch target {
    case "agenda":
        _ = try? AgendaFile.parse(String(decoding: bytes, as: UTF8.self), file: "fuzz.yaml")
    case "events":
        let path = scratch + "/events.jsonl"
        write(bytes, to: path)
        let events = EventLog(path: path).read().events
        let timeline = SessionTimeline(events: events, end: 3600)
        _ = timeline.speakingTime
        // Every time read from the log writes back to the same text and instant.
        for date in events.flatMap({ [$0.recordedAt] + ($0.wallClock.map { [$0] } ?? []) }) {
            let text = ISO8601.format(date)
            guard let again = ISO8601.parse(text), ISO8601.format(again) == text else {
                fatalError("ISO 8601 round trip changed \(date.timeIntervalSince1970): \(text)")
            }
        }
        // And any text the reader takes is a time it writes back to itself.
        if let date = ISO8601.parse(String(decoding: bytes.prefix(64), as: UTF8.self)), ISO8601.parse(ISO8601.format(date)) == nil {
            fatalError("an ISO 8601 time read from the input cannot be read back once written")
        }
    case "captions":
        let path = scratch + (size % 2 == 0 ? "/captions.vtt" : "/captions.srt")
        write(bytes, to: path)
        if let contents = try? CaptionReader.read(path: path) { _ = WebVTT.render(contents.cues) }
        // Siaran's own reader: what it writes, it reads back unchanged.
        let cues = WebVTT.parse(UnsafeRawBufferPointer(bytes)).map(\.cue)
        let again = Data(WebVTT.render(cues).utf8).withUnsafeBytes { WebVTT.parse($0).map(\.cue) }
        if again.map(\.text) != cues.map(\.text) { fatalError("WebVTT round trip changed the text: \(cues) -> \(again)") }
    case "redact":
        fuzzRedaction(bytes)
    case "query":
        guard let query = try? SearchQuery(String(decoding: bytes, as: UTF8.self)) else { return 0 }
        let catalog = catalog!
        do { _ = try blocking { try await catalog.search(query, limit: 5) } } catch {
            fatalError("a parsed query made the catalog fail: \(error)")
        }
    default:
        runMedia(bytes)
    }
    return 0
}
