import Foundation
import TestSupport
import Testing

/// The daemon's own sync brings a teammate's command consolidator: the daemon says so, never
/// runs it, keeps committing and syncing, and runs it only after `reverie trust` there.
@Suite(.serialized) struct SettingsTrustDaemonTests {
    /// `reverie watch` on one clone, its log in a file the test reads while it runs.
    final class Daemon {
        let dir: Scratch
        let logs: Scratch
        let notify: NotifySocket
        private var process: RunningProcess?
        private var runs = 0

        init(_ dir: Scratch) throws {
            self.dir = dir
            logs = try Scratch("daemon-logs")
            notify = try NotifySocket(in: dir.path + "/.git")
        }

        deinit {
            process?.signal(SIGKILL)
            _ = process?.wait(seconds: 10)
        }

        /// What the current (or last) run logged so far.
        var log: String { (try? logs.read("run-\(runs).log")) ?? "" }

        func start() throws {
            runs += 1
            let ready = notify.messages().filter { $0 == "READY=1" }.count
            let env = ["NOTIFY_SOCKET": notify.path, "HOME": ReverieBinary.emptyHome, "GIT_TERMINAL_PROMPT": "0"]
            process = try Shell.start(
                "/bin/sh",
                [
                    "-c", "exec \"$0\" watch -C \"$1\" --log-level debug 2>\"$2\"",
                    ReverieBinary.path, dir.path, logs.url("run-\(runs).log"),
                ], environment: env)
            guard Wait.until({ notify.messages().filter { $0 == "READY=1" }.count > ready }) else {
                process?.signal(SIGKILL)
                throw Shell.Failure(command: "reverie watch (never ready)", result: process!.wait(seconds: 10))
            }
        }

        @discardableResult
        func stop() -> Shell.Result {
            process!.signal(SIGTERM)
            defer { process = nil }
            return process!.wait(seconds: 30)
        }
    }

    @Test func theDaemonsSyncBringsACommandItNeverRunsUntilTrusted() throws {
        let remote = try BareRemote()
        let outside = try Scratch("outside")
        let marker = outside.url("the-command-ran")
        let a = try Scratch("machine-a")
        #expect(try ReverieBinary.run(["init", a.path]).status == 0)
        let settings = { (dream: String) in
            """
            [watch]
            debounce_ms = 50
            \(dream)
            [sessions]
            idle_minutes = 0
            sources = [{ kind = "reverie", path = "\(ReverieBinary.projectRoot)/examples/sessions" }]
            """
        }
        try a.write(".reverie/config.toml", settings("[dream]\nschedule = \"off\""))
        try a.write("notes.md", "# Notes\n\n- one\n")
        try a.git("add", "-A")
        try a.git("commit", "-qm", "Team settings")
        #expect(try ReverieBinary.run(["remote", "add", remote.fileURL, "--sync", "auto", "-C", a.path]).status == 0)
        let shared = try a.read(".reverie/config.toml")
            .replacingOccurrences(of: "fetch_seconds = 300", with: "fetch_seconds = 1")
            .replacingOccurrences(of: "push_delay_ms = 3000", with: "push_delay_ms = 200")
        try a.write(".reverie/config.toml", shared)
        try a.git("commit", "-qam", "Sync often")
        #expect(try ReverieBinary.run(["sync", "-C", a.path]).status == 0)
        let b = try Scratch("machine-b")
        try Shell.check("git", ["clone", "-q", "-b", "main", remote.fileURL, b.path])
        try ReverieBinary.trust(b.path)  // B's person accepted the team's settings
        let daemon = try Daemon(b)
        try daemon.start()

        // A teammate makes every machine's next dream run a program of theirs.
        let remoteSection = String(shared[shared.range(of: "[remote]")!.lowerBound...])
        try a.write(
            ".reverie/config.toml",
            settings(
                """
                [dream]
                schedule = "every 1s"
                quiet_minutes = 0
                min_new_sessions = 1
                consolidator = "command"
                [model]
                command = ["sh", "-c", "touch \(marker)"]
                """) + "\n" + remoteSection)
        try a.git("commit", "-qam", "Dream more often", "--author", "Mallory <mallory@example.com>")
        try a.git("push", "-q", "origin", "main")
        let named =
            "The team changed settings that choose what runs or where keys go (dream.consolidator, model.command): "
            + "this machine does not use them until someone here reviews them (`reverie trust --show`), runs `reverie trust` "
            + "and restarts the daemon"
        let warned = Wait.until(seconds: 120, every: 0.1) { daemon.log.contains(named) }
        #expect(warned, "\(daemon.log.suffix(4000))")
        #expect(try b.read(".reverie/config.toml").contains("touch \(marker)"))
        #expect(daemon.stop().status == 0)

        // Restarted, it reads the new settings: dreams stay off, said once; edits are committed and synced.
        try daemon.start()
        let refused =
            "Scheduled dreams are off: the settings in .reverie/config.toml that choose what runs or where keys go "
            + "changed since this machine accepted them (dream.consolidator, model.command); review with "
            + "`reverie trust --show` or `git log -p -- .reverie/config.toml`, then run `reverie trust`, and restart the daemon"
        #expect(Wait.until(seconds: 60, every: 0.1) { daemon.log.contains(refused) }, "\(daemon.log.suffix(4000))")
        try b.write("notes.md", "# Notes\n\n- one\n- edited on B while dreams wait\n")
        #expect(
            Wait.until(seconds: 120, every: 0.1) {
                (try? remote.git("show", "main:notes.md"))?.contains("edited on B while dreams wait") == true
            }, "\(daemon.log.suffix(4000))")
        #expect(daemon.stop().status == 0)
        #expect(daemon.log.components(separatedBy: "Scheduled dreams are off").count == 2, "\(daemon.log)")
        #expect(!FileManager.default.fileExists(atPath: marker))

        // A person on B accepts them: the next dream runs the command.
        let accepted = try ReverieBinary.run(["trust", "--yes", "-C", b.path])
        #expect(accepted.status == 0 && accepted.stdout.contains("Accepted on this machine"), "\(accepted.stderr)")
        try daemon.start()
        #expect(
            Wait.until(seconds: 60, every: 0.1) { FileManager.default.fileExists(atPath: marker) },
            "\(daemon.log.suffix(4000))")
        daemon.stop()
        #expect(try b.git("status", "--porcelain") == "")
    }
}
