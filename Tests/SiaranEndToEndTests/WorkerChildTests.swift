import Foundation
@testable import SiaranRecording
import SiaranTestSupport
import Testing

/// The plumbing the speech and voice workers share (`WorkerChild`, `SpeechInstallation`), with a
/// small Python script in the worker's place: no engine needed, under a second.
@Suite("Worker child", .ownThreads)
struct WorkerChildTests {
    /// A fake engine home: the venv's Python is the system's, the workers are `script`.
    static func home(_ script: String) throws -> String {
        let home = TestFolder.make("worker-home")
        try FileManager.default.createDirectory(atPath: home + "/venv/bin", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: home + "/bin", withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: home + "/venv/bin/python", withDestinationPath: "/usr/bin/python3")
        for name in ["siaran-asr-worker", "siaran-voice-worker"] { try script.write(toFile: home + "/bin/" + name, atomically: true, encoding: .utf8) }
        return home
    }

    @Test("both engines are found in one home (or say what to run); a worker's samples, JSON lines, nice 10 and its own error message")
    func plumbing() throws {
        // Echoes its arguments, its niceness and how many bytes it read; with --fail it stops reading and says why.
        let script = """
            import json, os, sys
            if "--fail" in sys.argv:
                sys.stdin.buffer.read(4); print(json.dumps({"type": "error", "message": "model unreadable"}), flush=True)
                sys.stderr.write("traceback\\n"); sys.exit(2)
            data = sys.stdin.buffer.read()
            print(json.dumps({"type": "seen", "bytes": len(data), "nice": os.nice(0), "args": sys.argv[1:],
                              "home": os.environ.get("SIARAN_SPEECH_HOME"), "blas": os.environ.get("OPENBLAS_NUM_THREADS")}))
            """
        let home = try Self.home(script)
        #expect(throws: SpeechEngine.Missing.self) { try SpeechEngine.installed(environment: ["SIARAN_SPEECH_HOME": home]) }
        try FileManager.default.createDirectory(atPath: home + "/models/whisper-base", withIntermediateDirectories: true)
        FileManager.default.createFile(atPath: home + "/models/whisper-base/model.bin", contents: Data())
        try FileManager.default.createDirectory(atPath: home + "/models/voice-ge2e", withIntermediateDirectories: true)
        FileManager.default.createFile(atPath: home + "/models/voice-ge2e/pretrained.pt", contents: Data())
        let speech = try SpeechEngine.installed(environment: ["SIARAN_SPEECH_HOME": home])
        let voices = try VoiceEngine.installed(environment: ["SIARAN_SPEECH_HOME": home])
        #expect(speech.worker == home + "/bin/siaran-asr-worker" && voices.worker == home + "/bin/siaran-voice-worker")
        #expect(speech.python == voices.python && speech.model == home + "/models/whisper-base")
        let other = try SpeechEngine.installed(environment: ["SIARAN_SPEECH_HOME": home, "SIARAN_ASR_WORKER": "/bin/sh"])
        #expect(other.worker == "/bin/sh")
        do {
            _ = try VoiceEngine.installed(environment: ["SIARAN_SPEECH_HOME": home + "/none"])
            Issue.record("no engine in an empty home")
        } catch let failure as VoiceEngine.Failure {
            #expect(failure.description.contains(home + "/none") && failure.description.contains("Scripts/setup-speech"))
        }

        let worker = try VoiceWorkerProcess(engine: voices, arguments: ["diarise", "--input", "-"])
        try worker.send([Int16](repeating: 7, count: 16_000))
        let line = try #require(try worker.finish().first)
        #expect(line["bytes"] as? Int == 32_000 && line["nice"] as? Int == 10, "\(line)")
        #expect(line["args"] as? [String] == ["diarise", "--input", "-", "--model", voices.model])
        #expect(line["home"] as? String == home && line["blas"] as? String == "1")

        // A worker that stops reading: the next write fails, and the message is the worker's own.
        let failing = try VoiceWorkerProcess(engine: voices, arguments: ["--fail"])
        var said = ""
        do {
            for _ in 0..<64 { try failing.send([Int16](repeating: 1, count: 65_536)) }
            _ = try failing.finish()
        } catch let failure as VoiceEngine.Failure { said = failure.description }
        #expect(said.contains("model unreadable"), "\(said)")
        let speaking = try WorkerProcess(engine: speech, language: "id", threads: 1)
        #expect(try speaking.finish().words.isEmpty)
    }
}
