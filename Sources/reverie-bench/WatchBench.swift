import Foundation
import Git

/// Save→commit latency, a 10,000-file burst and the idle cost of `reverie watch`, against
/// a gitwatch-style loop (`inotifywait -r`, then `git add -A && git commit`) measured the
/// same way in the same run.
enum WatchBench {
    static func run(saves: Int, idleSeconds: Int, files: Int) throws {
        let reverie = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
            .appendingPathComponent("reverie").path
        guard FileManager.default.isExecutableFile(atPath: reverie) else {
            throw BenchError(message: "build the reverie product first (scripts/bench does)")
        }
        say("\nSave→commit latency, \(saves) saves in a \(files)-file repo (p50 / p99)")
        for debounce in [300, 0] {
            let ours = try latency(saves: saves, files: files, debounce: debounce) { workspace in
                try startReverie(reverie, in: workspace, debounce: debounce)
            }
            let loop = try latency(saves: saves, files: files, debounce: debounce) { workspace in
                try startLoop(in: workspace, debounce: debounce)
            }
            let fixed = Double(debounce) / 1000
            say(
                String(
                    format: "  debounce %3d ms  reverie %7.1f / %7.1f ms   gitwatch loop %7.1f / %7.1f ms",
                    debounce, ours.p50 * 1000, ours.p99 * 1000, loop.p50 * 1000, loop.p99 * 1000)
                    + String(
                        format: "   beyond the debounce: p50 %.1f vs %.1f ms, %.1fx faster",
                        (ours.p50 - fixed) * 1000, (loop.p50 - fixed) * 1000, (loop.p50 - fixed) / (ours.p50 - fixed)))
        }
        try burst(reverie, files: files)
        try idle(reverie, files: files, seconds: idleSeconds)
    }

    struct Percentiles {
        let p50: Double
        let p99: Double
    }

    /// Appends a line to a different file per save and waits until main moves.
    static func latency(
        saves: Int, files: Int, debounce: Int,
        start: (Workspace) throws -> Process
    ) throws -> Percentiles {
        let workspace = try Workspace(files: files, name: "watch")
        let watcher = try start(workspace)
        defer {
            watcher.terminate()
            watcher.waitUntilExit()
        }
        let repo = try Repository.open(at: workspace.path)
        var samples: [Double] = []
        for i in 0..<saves {
            let before = try repo.tip(ofBranch: "main")
            let file = workspace.paths[(i * 37) % workspace.paths.count]
            let started = DispatchTime.now().uptimeNanoseconds
            try workspace.append(file, "- save \(i)\n")
            while try repo.tip(ofBranch: "main") == before { usleep(200) }
            samples.append(Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9)
            usleep(20_000)  // let the committer settle, so saves do not merge into one burst
        }
        samples.sort()
        return Percentiles(
            p50: samples[samples.count / 2], p99: samples[min(samples.count - 1, samples.count * 99 / 100)])
    }

    static func startReverie(_ binary: String, in workspace: Workspace, debounce: Int) throws -> Process {
        try workspace.shell(
            "'\(binary)' init . >/dev/null && sed -i 's/^# debounce_ms = 300/debounce_ms = \(debounce)/' .reverie/config.toml && git add -A && git commit -qm config"
        )
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = ["watch", "-C", workspace.path, "--log-level", "warning"]
        try process.run()
        try waitForDaemon(workspace)
        return process
    }

    /// gitwatch's loop: an event, a quiet period of `debounce`, then add everything and commit.
    static func startLoop(in workspace: Workspace, debounce: Int) throws -> Process {
        let seconds = String(format: "%.3f", Double(debounce) / 1000)
        // inotifywait runs beside the loop (not in a pipeline) so that stopping the loop stops it too.
        let script = """
            fifo=$(mktemp -u) && mkfifo "$fifo"
            inotifywait -q -m -r -e close_write,moved_to,moved_from,create,delete --exclude '(^|/)\\.git(/|$)' . > "$fifo" &
            watcher=$!
            trap 'kill $watcher 2>/dev/null; rm -f "$fifo"; exit 0' TERM
            while read -r _; do
              while read -r -t \(seconds) _; do :; done
              git add -A && git commit -q -m auto >/dev/null 2>&1 || true
            done < "$fifo"
            """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = ["-c", script]
        process.currentDirectoryURL = URL(fileURLWithPath: workspace.path)
        var environment = ProcessInfo.processInfo.environment
        environment["GIT_AUTHOR_NAME"] = "Bench"
        environment["GIT_COMMITTER_NAME"] = "Bench"
        environment["GIT_AUTHOR_EMAIL"] = "bench@example.com"
        environment["GIT_COMMITTER_EMAIL"] = "bench@example.com"
        process.environment = environment
        try process.run()
        sleep(3)  // inotifywait sets up its watches
        return process
    }

    static func waitForDaemon(_ workspace: Workspace) throws {
        let lock = workspace.path + "/.git/reverie/watch.lock"
        for _ in 0..<500 {
            let descriptor = open(lock, O_RDONLY)
            if descriptor >= 0 {
                defer { close(descriptor) }
                if flock(descriptor, LOCK_SH | LOCK_NB) != 0 {
                    usleep(300_000)
                    return
                }
            }
            usleep(20_000)
        }
        throw BenchError(message: "reverie watch did not start in \(workspace.path)")
    }

    /// Every file changed at once: time from the last write until main holds all of it.
    static func burst(_ binary: String, files: Int) throws {
        let workspace = try Workspace(files: files, name: "burst")
        let daemon = try startReverie(binary, in: workspace, debounce: 300)
        defer {
            daemon.terminate()
            daemon.waitUntilExit()
        }
        let repo = try Repository.open(at: workspace.path)
        for path in workspace.paths { try workspace.append(path, "- burst\n") }
        let written = DispatchTime.now().uptimeNanoseconds
        let first = workspace.paths[0], last = workspace.paths[workspace.paths.count - 1]
        func committed(_ path: String) throws -> Bool {
            String(decoding: try repo.readFile(path) ?? Data(), as: UTF8.self).hasSuffix("- burst\n")
        }
        while try !(committed(first) && committed(last)) { usleep(1000) }
        let elapsed = Double(DispatchTime.now().uptimeNanoseconds - written) / 1e9
        try workspace.requireClean()
        say(
            String(
                format:
                    "\nBurst of %d changed files: committed %.0f ms after the last write (debounce 300 ms included)",
                files, elapsed * 1000))
    }

    /// CPU time, RSS and wake-ups of an idle daemon.
    static func idle(_ binary: String, files: Int, seconds: Int) throws {
        let workspace = try Workspace(files: files, name: "idle")
        let daemon = try startReverie(binary, in: workspace, debounce: 300)
        defer {
            daemon.terminate()
            daemon.waitUntilExit()
        }
        sleep(1)
        let before = try sample(daemon.processIdentifier)
        sleep(UInt32(seconds))
        let after = try sample(daemon.processIdentifier)
        let cpu = after.cpuSeconds - before.cpuSeconds
        say(
            String(
                format: "Idle for %d s on a %d-file repo: %.3f s CPU (%.3f s a minute), RSS %.1f MB, %d wake-ups",
                seconds, files, cpu, cpu * 60 / Double(seconds), Double(after.rssKilobytes) / 1024,
                after.switches(since: before)))
    }

    struct Sample {
        let cpuSeconds: Double
        let rssKilobytes: Int
        /// Context switches by thread id: each one is the thread waking up again.
        let switchesByThread: [String: Int]

        /// Wake-ups since `earlier`, over the threads alive at both times.
        func switches(since earlier: Sample) -> Int {
            switchesByThread.reduce(0) { total, entry in
                total + (earlier.switchesByThread[entry.key].map { entry.value - $0 } ?? 0)
            }
        }
    }

    static func sample(_ pid: Int32) throws -> Sample {
        let stat = try String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8)
        let fields = stat[stat.lastIndex(of: ")")!...].split(separator: " ")
        // After the command name: state is field 3, utime 14 and stime 15 (1-based, man 5 proc).
        let ticks = Double(sysconf(Int32(_SC_CLK_TCK)))
        let cpu = (Double(fields[12])! + Double(fields[13])!) / ticks
        let status = try String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)
        func value(_ key: String) -> Int {
            status.split(separator: "\n").first { $0.hasPrefix(key) }
                .flatMap { Int($0.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "") } ?? 0
        }
        var switches: [String: Int] = [:]
        for task in (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/task")) ?? [] {
            let text = (try? String(contentsOfFile: "/proc/\(pid)/task/\(task)/status", encoding: .utf8)) ?? ""
            for line in text.split(separator: "\n") where line.hasPrefix("voluntary_ctxt_switches") {
                switches[task] =
                    Int(line.split(separator: "\t").last.map { $0.trimmingCharacters(in: .whitespaces) } ?? "") ?? 0
            }
        }
        return Sample(cpuSeconds: cpu, rssKilobytes: value("VmRSS:"), switchesByThread: switches)
    }
}
