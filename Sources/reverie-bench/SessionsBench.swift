import Foundation
import Sessions

/// Parsing Claude Code transcripts against Python's `json.loads` over the same lines.
enum SessionsBench {
    static func run(megabytes: Int) throws {
        say("Session parsing, about \(megabytes) MB of Claude Code JSONL (the fixtures, replicated with fresh ids)")
        let folder = FileManager.default.temporaryDirectory.path + "/reverie-bench-sessions"
        let bytes = try corpus(in: folder, megabytes: megabytes)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let files = try FileManager.default.contentsOfDirectory(atPath: folder).sorted().map { "\(folder)/\($0)" }
        var sessions = 0, events = 0
        let ours = try Bench.time {
            for file in files {
                let parsed = ClaudeCodeParser.parse(file: file)
                sessions += parsed.sessions.count
                events += parsed.sessions.reduce(0) { $0 + $1.events.count }
            }
        }
        // What a dream does: files parsed on every core.
        let parallel = try Bench.time {
            DispatchQueue.concurrentPerform(iterations: files.count) { index in
                _ = ClaudeCodeParser.parse(file: files[index])
            }
        }
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        let python = try pythonSeconds(files: files)
        let mb = Double(bytes) / 1e6
        say(
            String(
                format: "  reverie  %7.1f MB/s  (%.2f s, %d sessions, %d events, peak RSS %.1f MB)",
                mb / ours, ours, sessions, events, Double(usage.ru_maxrss) / 1024))
        say(
            String(
                format: "  python   %7.1f MB/s  (%.2f s, json.loads per line only, no model built)", mb / python, python
            ))
        say(
            String(
                format: "  reverie  %7.1f MB/s  on %d cores (%.2f s)", mb / parallel,
                ProcessInfo.processInfo.activeProcessorCount, parallel))
        say(
            String(
                format: "  ratio    %7.2fx Python's speed on one core, %.2fx on all", python / ours, python / parallel))
    }

    /// Writes copies of the Claude Code fixtures, each with fresh session and message ids,
    /// until about `megabytes` are written; returns the bytes written.
    static func corpus(in folder: String, megabytes: Int) throws -> Int {
        try? FileManager.default.removeItem(atPath: folder)
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let root =
            URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().path + "/Tests/SessionsTests/Fixtures"
        var templates: [String] = []
        for sub in ["claude-code-viewer", "claude-code-log"] {
            for name in try FileManager.default.contentsOfDirectory(atPath: "\(root)/\(sub)").sorted()
            where name.hasSuffix(".jsonl") && !name.hasPrefix("agent-") {
                templates.append(try String(contentsOfFile: "\(root)/\(sub)/\(name)", encoding: .utf8))
            }
        }
        var written = 0, copy = 0
        while written < megabytes * 1_000_000 {
            let data = Data(freshIDs(in: Array(templates[copy % templates.count].utf8)))
            try data.write(to: URL(fileURLWithPath: "\(folder)/copy-\(String(format: "%06d", copy)).jsonl"))
            written += data.count
            copy += 1
        }
        return written
    }

    /// The bytes with every UUID replaced by a fresh one, the same old id always by the
    /// same new id, so parent chains and tool pairs stay intact.
    static func freshIDs(in bytes: [UInt8]) -> [UInt8] {
        func isHex(_ byte: UInt8) -> Bool { (48...57).contains(byte) || (97...102).contains(byte) }
        func isUUID(at start: Int) -> Bool {
            guard start + 36 <= bytes.count else { return false }
            for offset in 0..<36 {
                let byte = bytes[start + offset]
                if [8, 13, 18, 23].contains(offset) {
                    if byte != 45 { return false }
                } else if !isHex(byte) {
                    return false
                }
            }
            return true
        }
        var fresh: [ArraySlice<UInt8>: [UInt8]] = [:]
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var index = 0
        while index < bytes.count {
            if isHex(bytes[index]), isUUID(at: index) {
                let old = bytes[index..<index + 36]
                if fresh[old] == nil { fresh[old] = Array(UUID().uuidString.lowercased().utf8) }
                out += fresh[old]!
                index += 36
            } else {
                out.append(bytes[index])
                index += 1
            }
        }
        return out
    }

    static func pythonSeconds(files: [String]) throws -> Double {
        let script = """
            import json, sys, time
            files = sys.stdin.read().split("\\n")
            start = time.perf_counter()
            for name in files:
                with open(name, "rb") as f:
                    for line in f:
                        if line.strip():
                            try: json.loads(line)
                            except ValueError: pass
            print(time.perf_counter() - start)
            """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script]
        let input = Pipe(), output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        input.fileHandleForWriting.write(Data(files.joined(separator: "\n").utf8))
        try input.fileHandleForWriting.close()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard let seconds = Double(text.trimmingCharacters(in: .whitespacesAndNewlines)) else {
            throw BenchError(message: "python3 json loop printed \(text)")
        }
        return seconds
    }
}
