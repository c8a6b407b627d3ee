import Foundation

/// A throw-away memory repo of many Markdown files, made and first committed with the git
/// CLI, so both sides of a benchmark start from the same, ordinary repository.
final class Workspace {
    let path: String
    let paths: [String]

    init(files: Int, name: String) throws {
        path = FileManager.default.temporaryDirectory.path + "/reverie-bench-\(name)-\(UUID().uuidString.prefix(6))"
        var paths: [String] = []
        for i in 0..<files {
            let relative = "topic-\(i % 50)/note-\(i).md"
            paths.append(relative)
        }
        self.paths = paths
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        for relative in paths {
            try write(relative, "# Note\n\n- a memory about \(relative)\n- and another line\n")
        }
        try shell("git init -q -b main . && git add -A && git commit -q --allow-empty -m 'Initial memory'")
    }

    deinit {
        try? FileManager.default.removeItem(atPath: path)
    }

    func write(_ relative: String, _ text: String) throws {
        let full = "\(path)/\(relative)"
        try FileManager.default.createDirectory(
            atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try Data(text.utf8).write(to: URL(fileURLWithPath: full))
    }

    func append(_ relative: String, _ text: String) throws {
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: "\(path)/\(relative)"))
        defer { try? handle.close() }
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(text.utf8))
    }

    /// Runs a shell command in the repo. Waits with a termination handler: on Linux
    /// `waitUntilExit()` polls the run loop and would add about 50 ms to the git side.
    func shell(_ command: String) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", command]
        process.currentDirectoryURL = URL(fileURLWithPath: path)
        var environment = ProcessInfo.processInfo.environment
        for key in ["GIT_AUTHOR_NAME", "GIT_COMMITTER_NAME"] { environment[key] = "Bench" }
        for key in ["GIT_AUTHOR_EMAIL", "GIT_COMMITTER_EMAIL"] { environment[key] = "bench@example.com" }
        process.environment = environment
        let done = DispatchSemaphore(value: 0)
        process.terminationHandler = { _ in done.signal() }
        try process.run()
        done.wait()
        guard process.terminationStatus == 0 else {
            throw BenchError(message: "`\(command)` exited \(process.terminationStatus) in \(path)")
        }
    }

    /// Both sides must leave `git status` clean, or the comparison is not fair. (A daemon
    /// syncs the index just after moving main, so allow it a moment.)
    func requireClean() throws {
        try shell(
            "for i in $(seq 50); do test -z \"$(git status --porcelain)\" && exit 0; sleep 0.1; done; git status --short | head; exit 1"
        )
    }
}

struct BenchError: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}
