import Foundation

/// One whole `reverie dream` (read the sources, consolidate with the built-in
/// consolidator, check, write the branch) over 1,000 Claude Code sessions and 1,000 memory
/// files, then twice and four times that, each in its own process for its peak memory.
enum FullDreamBench {
    static func run(scales: [Int], reverie: String) throws {
        say("\nA full dream: 1,000 sessions and 1,000 memory files per scale, `reverie dream` end to end")
        var first: Double?
        for scale in scales {
            let base = FileManager.default.temporaryDirectory.path + "/reverie-bench-full-\(scale)"
            try? FileManager.default.removeItem(atPath: base)
            defer { try? FileManager.default.removeItem(atPath: base) }
            let home = base + "/home", repo = base + "/memory"
            let bytes = try sessions(count: 1000 * scale, in: home + "/.claude/projects/bench")
            try memory(files: 1000 * scale, in: repo, reverie: reverie)
            let start = DispatchTime.now().uptimeNanoseconds
            let (status, peak) = try runChild(reverie, ["dream", "-C", repo], home: home)
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            guard status == 0 else { throw BenchError(message: "reverie dream exited \(status) at scale \(scale)") }
            first = first ?? seconds
            say(
                String(
                    format:
                        "  %dx: %5d sessions (%4.0f MB), %5d memory files: %6.2f s, peak RSS %5.0f MB, %4.2fx the time of 1x",
                    scale, 1000 * scale, Double(bytes) / 1e6, 1000 * scale, seconds, peak, seconds / first!))
        }
    }

    /// Claude Code transcripts cycling through the fixtures (fresh ids in every copy).
    static func sessions(count: Int, in folder: String) throws -> Int {
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let root =
            URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().path + "/Tests/SessionsTests/Fixtures/claude-code-viewer/"
        let templates = try [
            "fe5e1c67-53e7-4862-81ae-d0e013e3270b", "5c0375b4-57a5-4f26-b12d-d022ee4e51b7",
            "1af7fc5e-8455-4414-9ccd-011d40f70b2a", "5c0375b4-57a5-4f26-b12d-d022ee4e51b7",
        ]
        .map { Array(try Data(contentsOf: URL(fileURLWithPath: root + $0 + ".jsonl"))) }
        var written = 0
        for index in 0..<count {
            let data = Data(SessionsBench.freshIDs(in: templates[index % templates.count]))
            try data.write(to: URL(fileURLWithPath: "\(folder)/session-\(index).jsonl"))
            written += data.count
        }
        // Old enough to be read at once (the default idle time is 10 minutes).
        let old = Date(timeIntervalSinceNow: -3600)
        for name in try FileManager.default.contentsOfDirectory(atPath: folder) {
            try FileManager.default.setAttributes([.modificationDate: old], ofItemAtPath: "\(folder)/\(name)")
        }
        return written
    }

    /// A memory repo of `files` notes of 20 entries each, some entries near-duplicates of
    /// others, committed with the git CLI.
    static func memory(files: Int, in repo: String, reverie: String) throws {
        let topics = [
            "cache", "queue", "schema", "token", "deploy", "invoice", "report", "search", "upload", "billing",
            "session", "widget", "profile", "export", "import", "ledger", "backup", "gateway", "metrics", "render",
        ]
        var state: UInt64 = 42
        func next() -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int(state >> 33)
        }
        for file in 0..<files {
            var text = "---\ndescription: Notes on \(topics[file % topics.count]) \(file)\n---\n# Notes \(file)\n\n"
            for entry in 0..<20 {
                let a = topics[next() % topics.count], b = topics[next() % topics.count],
                    c = topics[next() % topics.count]
                if entry == 0 && file % 10 == 1 {
                    // A near-duplicate of an entry of the file before.
                    text +=
                        "- Remember that the \(topics[(file - 1) % topics.count]) team owns the \(b) pipeline and reviews changes on tuesdays\n"
                } else if entry == 0 && file % 10 == 0 {
                    text +=
                        "- Remember that the \(topics[file % topics.count]) team owns the \(b) pipeline and reviews changes on tuesdays too\n"
                } else {
                    text +=
                        "- The \(a) service \(file)-\(entry) talks to \(b) through \(c) with retry \(next() % 10_000)\n"
                }
            }
            let path = "\(repo)/notes/\(file % 50)/note-\(file).md"
            try FileManager.default.createDirectory(
                atPath: (path as NSString).deletingLastPathComponent,
                withIntermediateDirectories: true)
            try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        }
        guard try runChild(reverie, ["init", repo], home: repo).status == 0 else {
            throw BenchError(message: "reverie init failed in \(repo)")
        }
    }

    /// Runs a child process and returns its exit status and peak resident memory in MB.
    static func runChild(
        _ executable: String, _ arguments: [String], home: String
    ) throws -> (status: Int32, peakMB: Double) {
        var pid: pid_t = 0
        var environment = ProcessInfo.processInfo.environment
        environment["HOME"] = home
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { (argv + envp).forEach { free($0) } }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        defer { posix_spawn_file_actions_destroy(&actions) }
        guard posix_spawn(&pid, executable, &actions, nil, argv, envp) == 0 else {
            throw BenchError(message: "cannot start \(executable)")
        }
        var status: Int32 = 0
        var usage = rusage()
        guard wait4(pid, &status, 0, &usage) == pid else { throw BenchError(message: "cannot wait for \(executable)") }
        return ((status >> 8) & 0xff, Double(usage.ru_maxrss) / 1024)
    }
}
