import Foundation
import Git

/// A huge burst (100,000 new files written at once): when `reverie watch` makes its first
/// commit and when everything is committed, against writing the same files and then
/// `git add -A && git commit`, in the same run. Before that, what one commit costs at
/// several batch sizes, which is what the daemon's batch bound is chosen from.
enum BurstBench {
    static let folders = 100

    static func run(files: Int, batchSizes: [Int]) throws {
        let reverie = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
            .appendingPathComponent("reverie").path
        guard FileManager.default.isExecutableFile(atPath: reverie) else {
            throw BenchError(message: "build the reverie product first (scripts/bench does)")
        }
        try sweep(files: files, sizes: batchSizes)
        try burst(reverie, files: files)
    }

    /// `files` new files committed in batches of each size, as the daemon commits them:
    /// the first commit's time and the whole burst's.
    static func sweep(files: Int, sizes: [Int]) throws {
        say("\nBatch size: \(files) new files in \(folders) folders, committed in batches (sorted paths)")
        let workspace = try Workspace(files: 0, name: "batches")
        let paths = try writeBurst(files: files, in: workspace).paths.sorted()
        for size in sizes {
            try workspace.shell("rm -rf .git && git init -q -b main . && git commit -q --allow-empty -m base")
            let repo = try Repository.open(at: workspace.path)
            var times: [Double] = []
            for start in stride(from: 0, to: paths.count, by: size) {
                let batch = Array(paths[start..<min(start + size, paths.count)])
                times.append(try Bench.time { _ = try repo.commitWorkingTree(paths: batch, message: "Batch") })
            }
            try workspace.requireClean()
            let total = times.reduce(0, +)
            say(
                String(
                    format:
                        "  %6d a batch  first commit %7.0f ms   slowest %7.0f ms   all %3d commits %6.2f s   %5.0f files/s",
                    size, times[0] * 1000, times.max()! * 1000, times.count, total, Double(files) / total))
        }
    }

    /// `reverie watch` on a repo while `files` new files are written into folders it
    /// watches, against the same writes and then `git add -A && git commit`.
    static func burst(_ binary: String, files: Int) throws {
        say(
            "\nBurst of \(files) new files written at once into \(folders) watched folders (debounce 300 ms, max wait 2 s)"
        )
        let workspace = try Workspace(files: 100, name: "burst")
        for folder in 0..<folders {
            try FileManager.default.createDirectory(
                atPath: "\(workspace.path)/burst-\(folder)", withIntermediateDirectories: true)
        }
        let log = workspace.path + ".log"
        defer { try? FileManager.default.removeItem(atPath: log) }
        let daemon = try startReverie(binary, in: workspace, log: log)
        defer {
            daemon.terminate()
            daemon.waitUntilExit()
        }
        let monitor = TipMonitor(repo: workspace.path)
        monitor.start()
        let (started, written, _, _) = try writeBurst(files: files, in: workspace)
        // Everything is committed when main holds every file (looked at each time main moved,
        // in-process: git ls-tree over 100,000 paths would take a core from the daemon), and
        // the folder is clean.
        let repo = try Repository.open(at: workspace.path)
        var looked = 0
        while true {
            let moves = monitor.moves
            if moves != looked {
                looked = moves
                if try committedCount(repo) == files { break }
            }
            usleep(50_000)
        }
        try workspace.requireClean()
        let tips = monitor.stop()
        guard let first = tips.first, let last = tips.last else { throw BenchError(message: "main never moved") }
        let text = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
        let commits = text.components(separatedBy: "Committed ").count - 1
        let overflows = text.components(separatedBy: "inotify queue overflowed").count - 1

        let cli = try Workspace(files: 100, name: "burst-cli")
        let cliWrite = try writeBurst(files: files, in: cli).seconds
        let gitSeconds = try Bench.time { try cli.shell("git add -A && git commit -q -m 'Burst'") }
        try cli.requireClean()

        let writeSeconds = seconds(from: started, to: written)
        let firstSeconds = seconds(from: started, to: first), lastSeconds = seconds(from: started, to: last)
        let gitTotal = cliWrite + gitSeconds
        say(String(format: "  writing the files            %6.2f s (the git side: %.2f s)", writeSeconds, cliWrite))
        say(
            String(
                format:
                    "  reverie: first commit        %6.2f s after the burst began (%d commits, %d overflow warnings)",
                firstSeconds, commits, overflows))
        say(
            String(
                format: "  reverie: everything committed %5.2f s after the burst began, %.2f s after the last write",
                lastSeconds, lastSeconds - writeSeconds))
        say(
            String(
                format: "  write, then git add -A && git commit: %.2f s (the command alone %.2f s)", gitTotal,
                gitSeconds))
        say(
            String(
                format: "  ratios: first commit %.2fx of git's total (%.1fx sooner); everything %.2fx of git's total;"
                    + " after the last write %.2fx of the command alone",
                firstSeconds / gitTotal, gitTotal / firstSeconds, lastSeconds / gitTotal,
                (lastSeconds - writeSeconds) / gitSeconds))
    }

    /// How many burst files main holds, read from the folders' trees.
    static func committedCount(_ repo: Repository) throws -> Int {
        try (0..<folders).reduce(0) { total, folder in
            total + (try repo.files(in: "burst-\(folder)", at: Repository.mainBranch).count)
        }
    }

    /// Writes `files` small new files round-robin into the burst folders, as fast as one
    /// thread can (open, write, close: every file gets CREATE and CLOSE_WRITE).
    @discardableResult
    static func writeBurst(
        files: Int, in workspace: Workspace
    )
        throws -> (started: UInt64, written: UInt64, seconds: Double, paths: [String])
    {
        var paths: [String] = []
        paths.reserveCapacity(files)
        for i in 0..<files { paths.append("burst-\(i % folders)/note-\(i).md") }
        for folder in 0..<folders {
            try FileManager.default.createDirectory(
                atPath: "\(workspace.path)/burst-\(folder)", withIntermediateDirectories: true)
        }
        let started = DispatchTime.now().uptimeNanoseconds
        for (i, path) in paths.enumerated() {
            let descriptor = open("\(workspace.path)/\(path)", O_WRONLY | O_CREAT | O_TRUNC, 0o644)
            guard descriptor >= 0 else {
                throw BenchError(message: "cannot write \(path): \(String(cString: strerror(errno)))")
            }
            let text = "# Note \(i)\n\n- written in a burst\n"
            _ = text.withCString { write(descriptor, $0, strlen($0)) }
            close(descriptor)
        }
        let written = DispatchTime.now().uptimeNanoseconds
        return (started, written, seconds(from: started, to: written), paths)
    }

    static func seconds(from start: UInt64, to end: UInt64) -> Double { Double(end - start) / 1e9 }

    /// `reverie watch` at info level, its log in `log`, so commits and warnings can be counted.
    static func startReverie(_ binary: String, in workspace: Workspace, log: String) throws -> Process {
        try workspace.shell("'\(binary)' init . >/dev/null")
        _ = FileManager.default.createFile(atPath: log, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = ["watch", "-C", workspace.path, "--log-level", "info"]
        process.standardError = FileHandle(forWritingAtPath: log)
        try process.run()
        try WatchBench.waitForDaemon(workspace)
        return process
    }
}
