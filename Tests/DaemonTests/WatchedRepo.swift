import Foundation
import TestSupport

/// A memory repo made by `reverie init` with `reverie watch` running on it, as a person
/// would have it, plus a notify socket to know when the daemon is ready.
final class WatchedRepo {
    let dir: Scratch
    let notify: NotifySocket
    private(set) var daemon: RunningProcess?
    let debounceMilliseconds: Int

    init(debounceMilliseconds: Int = 50, maxWaitMilliseconds: Int = 2000, files: [String: String] = [:],
         environment: [String: String] = [:]) throws {
        dir = try Scratch("watch")
        self.debounceMilliseconds = debounceMilliseconds
        let initialized = try ReverieBinary.run(["init", dir.path])
        guard initialized.status == 0 else { throw Shell.Failure(command: "reverie init", result: initialized) }
        var config = try dir.read(".reverie/config.toml")
        config = config.replacingOccurrences(of: "# debounce_ms = 300", with: "debounce_ms = \(debounceMilliseconds)")
        config = config.replacingOccurrences(of: "# max_wait_ms = 2000", with: "max_wait_ms = \(maxWaitMilliseconds)")
        try dir.write(".reverie/config.toml", config)
        for (path, text) in files { try dir.write(path, text) }
        try dir.git("add", "-A")
        try dir.git("commit", "-qm", "Test setup")
        notify = try NotifySocket(in: dir.path + "/.git")
        try start(environment: environment)
    }

    deinit {
        daemon?.signal(SIGKILL)
        _ = daemon?.wait(seconds: 10)
    }

    /// Starts `reverie watch` and waits until it says READY=1.
    func start(environment: [String: String] = [:]) throws {
        let before = notify.messages().filter { $0 == "READY=1" }.count
        var env = environment
        env["NOTIFY_SOCKET"] = notify.path
        if env["HOME"] == nil { env["HOME"] = ReverieBinary.emptyHome }
        daemon = try Shell.start(ReverieBinary.path, ["watch", "-C", dir.path, "--log-level", "debug"], environment: env)
        let ready = Wait.until { notify.messages().filter { $0 == "READY=1" }.count > before }
        guard ready else {
            daemon?.signal(SIGKILL)
            let result = daemon!.wait(seconds: 10)
            throw Shell.Failure(command: "reverie watch (never ready)", result: result)
        }
    }

    /// Stops the daemon with a signal and returns how it ended.
    func stop(_ signal: Int32 = SIGTERM) -> Shell.Result {
        daemon!.signal(signal)
        let result = daemon!.wait(seconds: 30)
        daemon = nil
        return result
    }

    func commitCount() throws -> Int {
        Int(try dir.git("rev-list", "--count", "main").trimmingCharacters(in: .whitespacesAndNewlines)) ?? -1
    }

    /// Waits until main has `count` commits; true if it got there.
    @discardableResult
    func waitForCommits(_ count: Int) throws -> Bool {
        try Wait.until { try commitCount() >= count }
    }

    /// Waits well past the debounce, so any commit still to come has come.
    func settle() {
        usleep(UInt32(max(debounceMilliseconds * 4, 400)) * 1000)
    }

    func show(_ path: String) throws -> String? {
        let result = try dir.gitResult("show", "main:\(path)")
        return result.status == 0 ? result.stdout : nil
    }

    func trackedFiles() throws -> [String] {
        try dir.git("ls-tree", "-r", "--name-only", "main").split(separator: "\n").map(String.init)
    }
}
