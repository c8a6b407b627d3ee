import Foundation
import Memory
import TestSupport

/// A memory repo made as `reverie init` makes it, with `reverie watch` running on it, as a person
/// would have it, plus a notify socket to know when the daemon is ready. Its waits suspend
/// rather than block: the cooperative pool's threads are few and shared by every test.
final class WatchedRepo: @unchecked Sendable {
    let dir: Scratch
    let notify: NotifySocket
    private(set) var daemon: RunningProcess?
    let debounceMilliseconds: Int

    init(
        debounceMilliseconds: Int = 50, maxWaitMilliseconds: Int = 2000, files: [String: String] = [:],
        environment: [String: String] = [:]
    ) async throws {
        dir = try Scratch("watch")
        self.debounceMilliseconds = debounceMilliseconds
        _ = try MemoryRepo.initialize(at: dir.path)
        var config = try dir.read(".reverie/config.toml")
        config = config.replacingOccurrences(of: "# debounce_ms = 300", with: "debounce_ms = \(debounceMilliseconds)")
        config = config.replacingOccurrences(of: "# max_wait_ms = 2000", with: "max_wait_ms = \(maxWaitMilliseconds)")
        try dir.write(".reverie/config.toml", config)
        for (path, text) in files { try dir.write(path, text) }
        try dir.git("add", "-A")
        try dir.git("commit", "-qm", "Test setup")
        try ReverieBinary.trust(dir.path)
        notify = try NotifySocket(in: dir.path + "/.git")
        try await start(environment: environment)
    }

    deinit {
        daemon?.signal(SIGKILL)
        _ = daemon?.wait(seconds: 10)
    }

    /// Starts `reverie watch` and waits until it says READY=1.
    func start(environment: [String: String] = [:]) async throws {
        let before = notify.messages().filter { $0 == "READY=1" }.count
        var env = environment
        env["NOTIFY_SOCKET"] = notify.path
        if env["HOME"] == nil { env["HOME"] = ReverieBinary.emptyHome }
        daemon = try Shell.start(
            ReverieBinary.path, ["watch", "-C", dir.path, "--log-level", "debug"], environment: env)
        let ready = await Wait.until { self.notify.messages().filter { $0 == "READY=1" }.count > before }
        guard ready else {
            daemon?.signal(SIGKILL)
            let daemon = daemon!
            let result = await offThePool { daemon.wait(seconds: 10) }
            throw Shell.Failure(command: "reverie watch (never ready)", result: result)
        }
    }

    /// Stops the daemon with a signal and returns how it ended. After SIGTERM or SIGINT it
    /// has committed everything it saw: what main holds then is final, no waiting needed.
    @discardableResult
    func stop(_ signal: Int32 = SIGTERM) async -> Shell.Result {
        let daemon = daemon!
        self.daemon = nil
        daemon.signal(signal)
        return await offThePool { daemon.wait(seconds: 30) }
    }

    /// Stops the daemon (it commits what is pending) and starts it again.
    func restart() async throws {
        let result = await stop()
        guard result.status == 0 else { throw Shell.Failure(command: "reverie watch", result: result) }
        try await start()
    }

    func commitCount() throws -> Int {
        Int(try dir.git("rev-list", "--count", "main").trimmingCharacters(in: .whitespacesAndNewlines)) ?? -1
    }

    /// Waits until main has `count` commits; true if it got there.
    @discardableResult
    func waitForCommits(_ count: Int) async throws -> Bool {
        try await Wait.until { try self.commitCount() >= count }
    }

    /// Waits until the daemon has handled what happened before this call: touches
    /// `.git/index`, a git state change the watcher reports, and waits for the STATUS line
    /// the committer sends after each burst it handled. A burst already under way also ends
    /// a wait, so it waits twice; false if the daemon never answered.
    func settle() async -> Bool {
        for _ in 0..<2 {
            let seen = notify.messages().count
            let descriptor = open(dir.url(".git/index"), O_WRONLY)
            guard descriptor >= 0 else { return false }
            close(descriptor)
            guard await notify.wait(for: "STATUS=", after: seen) else { return false }
        }
        return true
    }

    func show(_ path: String) throws -> String? {
        let result = try dir.gitResult("show", "main:\(path)")
        return result.status == 0 ? result.stdout : nil
    }

    func trackedFiles() throws -> [String] {
        try dir.git("ls-tree", "-r", "--name-only", "main").split(separator: "\n").map(String.init)
    }
}
