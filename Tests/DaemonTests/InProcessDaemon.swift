import Daemon
import Foundation
import Logging
import TestSupport

/// The daemon's watcher and committer running inside the test process, on a fresh repo on
/// `main`, so a test can read what they log and decide when the watcher starts reading.
final class InProcessDaemon: @unchecked Sendable {
    let dir: Scratch
    let log = LogRecorder()
    let watcher: InotifyWatcher
    let committer: AutoCommitter
    private var running: Task<Void, any Error>?

    /// Sets up every watch (of `folders` too, made first), but reads no event until `start()`.
    init(
        folders: [String] = [], debounceMilliseconds: Int = 50, maxWaitMilliseconds: Int = 2000,
        batchLimit: Int = AutoCommitter.defaultBatchLimit
    ) throws {
        dir = try Scratch("in-process")
        try dir.git("init", "-q", "-b", "main")
        try dir.write("README.md", "# Memory\n")
        try dir.git("add", "-A")
        try dir.git("commit", "-qm", "Test setup")
        for folder in folders {
            try FileManager.default.createDirectory(atPath: dir.url(folder), withIntermediateDirectories: true)
        }
        watcher = try InotifyWatcher(
            root: dir.path, gitDirectory: dir.url(".git"),
            debounce: .milliseconds(debounceMilliseconds),
            maxWait: .milliseconds(maxWaitMilliseconds), logger: log.logger)
        committer = try AutoCommitter(
            root: dir.path, bursts: watcher.bursts, logger: log.logger,
            notifier: SystemdNotifier(environment: [:]), batchLimit: batchLimit)
    }

    deinit {
        watcher.stop()
        running?.cancel()
    }

    /// Reconciles as the daemon does at start, then reads events and commits.
    func start() async {
        await committer.reconcile()
        run()
    }

    /// Like `start()`, with `meanwhile` run between the reconcile and the first event read:
    /// what it does queues up in the kernel unread.
    func start(meanwhile: () throws -> Void) async throws {
        await committer.reconcile()
        try meanwhile()
        run()
    }

    private func run() {
        watcher.start()
        let committer = self.committer
        running = Task { try await committer.run() }
    }

    /// Stops the watcher; the committer commits what is left, as on SIGTERM.
    func stop() async {
        watcher.stop()
        running?.cancel()  // outside a service group, cancellation stands for graceful shutdown
        _ = await running?.result
        running = nil
    }

    /// Writes `count` small files spread over `folders` as fast as one thread can.
    func writeFiles(_ count: Int, in folders: [String]) throws {
        for i in 0..<count {
            let path = dir.url("\(folders[i % folders.count])/note-\(i).md")
            let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
            guard descriptor >= 0 else {
                throw Shell.Failure(command: "open \(path)", result: .init(status: errno, stdout: "", stderr: ""))
            }
            let text = "- note \(i)\n"
            _ = text.withCString { write(descriptor, $0, strlen($0)) }
            close(descriptor)
        }
    }

    /// Waits until main holds `count` files (the README included); false if it never did.
    func waitForTracked(_ count: Int) async throws -> Bool {
        // Listing 20,000 paths with git costs a few milliseconds: look every 0.2 s.
        try await Wait.until(seconds: 120, every: 0.2) { try trackedCount() == count }
    }

    /// Paths `main` holds.
    func trackedCount() throws -> Int {
        try dir.git("ls-tree", "-r", "--name-only", "main").split(separator: "\n").count
    }

    /// How many files each commit on main changed, newest first (the root commit left out).
    func filesPerCommit() throws -> [Int] {
        let log = try dir.git("log", "--format=@%h", "--name-only", "main")
        var counts: [Int] = []
        for line in log.split(separator: "\n") {
            if line.hasPrefix("@") { counts.append(0) } else { counts[counts.count - 1] += 1 }
        }
        return Array(counts.dropLast())
    }
}
