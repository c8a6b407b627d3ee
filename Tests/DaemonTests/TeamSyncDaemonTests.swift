import Daemon
import Foundation
import Memory
import TestSupport
import Testing

/// Two machines, each with `reverie watch` and `sync = "auto"`, sharing memory through a
/// bare repository: people edit at once, the daemons commit, fetch, merge and push.
@Suite(.serialized) struct TeamSyncDaemonTests {
    /// A clone with its own daemon.
    final class Machine {
        let dir: Scratch
        let notify: NotifySocket
        private var daemon: RunningProcess?

        init(_ dir: Scratch) throws {
            self.dir = dir
            notify = try NotifySocket(in: dir.path + "/.git")
        }

        deinit {
            daemon?.signal(SIGKILL)
            _ = daemon?.wait(seconds: 10)
        }

        func start() throws {
            var env = ["NOTIFY_SOCKET": notify.path, "HOME": ReverieBinary.emptyHome]
            env["GIT_TERMINAL_PROMPT"] = "0"
            daemon = try Shell.start(
                ReverieBinary.path, ["watch", "-C", dir.path, "--log-level", "debug"], environment: env)
            guard Wait.until({ notify.messages().contains("READY=1") }) else {
                daemon?.signal(SIGKILL)
                throw Shell.Failure(command: "reverie watch (never ready)", result: daemon!.wait(seconds: 10))
            }
        }

        @discardableResult
        func stop() -> Shell.Result {
            daemon!.signal(SIGTERM)
            let result = daemon!.wait(seconds: 30)
            daemon = nil
            return result
        }

        func main() throws -> String {
            try dir.git("rev-parse", "main").trimmingCharacters(in: .whitespacesAndNewlines)
        }
    }

    let remote: BareRemote
    let a: Machine
    let b: Machine

    /// Machine A a memory repo shared as `reverie remote add --sync auto` shares it (fetching
    /// every second, pushing at most every 200 ms); machine B a plain clone.
    init() throws {
        remote = try BareRemote()
        let first = try Scratch("sync-a")
        let (memory, _) = try MemoryRepo.initialize(at: first.path)
        try first.write("notes.md", "# Notes\n\n- one\n- two\n- three\n- four\n- five\n- six\n- seven\n")
        try first.git("add", "notes.md")
        try first.git("commit", "-qm", "Notes")
        var shared = try memory.config().remote
        shared.url = remote.fileURL
        shared.sync = .auto
        try memory.setRemote(shared)
        var config = try first.read(".reverie/config.toml")
        config = config.replacingOccurrences(of: "# debounce_ms = 300", with: "debounce_ms = 50")
            .replacingOccurrences(of: "fetch_seconds = 300", with: "fetch_seconds = 1")
            .replacingOccurrences(of: "push_delay_ms = 3000", with: "push_delay_ms = 200")
        try first.write(".reverie/config.toml", config)
        try first.git("commit", "-qam", "Sync often")
        let synced = try TeamSync(memory: memory).round(in: memory.repository)
        #expect(synced.error == nil, "\(synced)")
        #expect(try remote.tip("main") == first.git("rev-parse", "main").trimmingCharacters(in: .newlines))
        let second = try Scratch("sync-b")
        try Shell.check("git", ["clone", "-q", remote.fileURL, second.path])
        a = try Machine(first)
        b = try Machine(second)
    }

    /// Waits until both machines and the remote have the same main.
    func converged() throws -> Bool {
        try Wait.until(seconds: 180, every: 0.1) {
            let tip = try a.main()
            return try b.main() == tip && remote.tip("main") == tip
        }
    }

    func expectSound() throws {
        #expect(try a.dir.fsck() == "")
        #expect(try b.dir.fsck() == "")
        #expect(try remote.fsck() == "")
    }

    @Test func editsOnBothMachinesAtOnceReachBoth() throws {
        try a.start()
        try b.start()
        try a.dir.write("notes.md", try a.dir.read("notes.md").replacingOccurrences(of: "- one", with: "- one, A"))
        try b.dir.write("notes.md", try b.dir.read("notes.md").replacingOccurrences(of: "- seven", with: "- seven, B"))
        try a.dir.write("a-only.md", "# From A\n")
        try b.dir.write("b-only.md", "# From B\n")
        let both = try Wait.until(seconds: 180, every: 0.1) {
            try [a, b].allSatisfy { machine in
                let text = try machine.dir.read("notes.md")
                return text.contains("- one, A") && text.contains("- seven, B")
                    && machine.dir.exists("a-only.md") && machine.dir.exists("b-only.md")
            }
        }
        let same = try converged()
        let logs = [a.stop(), b.stop()]
        #expect(both && same, "A: \(logs[0].stderr.suffix(6000))\nB: \(logs[1].stderr.suffix(6000))")
        for machine in [a, b] { #expect(try machine.dir.git("status", "--porcelain") == "") }
        #expect(try a.dir.git("for-each-ref", "refs/heads/sync") == "")
        try expectSound()
    }

    @Test func sameLinesOnBothMachinesLoseNothing() throws {
        try a.start()
        try b.start()
        try a.dir.write(
            "notes.md", try a.dir.read("notes.md").replacingOccurrences(of: "- four", with: "- four, as A wrote it"))
        try b.dir.write(
            "notes.md", try b.dir.read("notes.md").replacingOccurrences(of: "- four", with: "- four, as B wrote it"))
        let conflicted = try Wait.until(seconds: 180, every: 0.1) {
            try !remote.git("for-each-ref", "refs/heads/sync").isEmpty
        }
        let same = try converged()
        // Both daemons fetched the sync branch too.
        let fetched = try Wait.until(seconds: 120, every: 0.1) {
            try [a, b].allSatisfy { try !$0.dir.git("for-each-ref", "refs/remotes/origin/sync").isEmpty }
        }
        let logs = [a.stop(), b.stop()]
        #expect(conflicted && same && fetched, "A: \(logs[0].stderr.suffix(4000))\nB: \(logs[1].stderr.suffix(4000))")
        for machine in [a, b] {
            let text = try machine.dir.read("notes.md")
            #expect(!text.contains("<<<<<<<") && !text.contains(">>>>>>>"))
            let everything = try machine.dir.git("log", "-p", "--all")
            #expect(everything.contains("- four, as A wrote it") && everything.contains("- four, as B wrote it"))
            let status = try ReverieBinary.run(["status", "-C", machine.dir.path]).stdout
            #expect(status.contains("Conflict ") && status.contains("holds their lines of notes.md"), "\(status)")
        }
        try expectSound()
    }

    @Test func offlineCommitsGoOnAndSyncCatchesUp() throws {
        try a.start()
        let away = remote.folder.url("away.git")
        try FileManager.default.moveItem(atPath: remote.path, toPath: away)
        try a.dir.write("offline.md", "# Written offline\n")
        #expect(
            try Wait.until(seconds: 120, every: 0.1) {
                try a.dir.git("ls-tree", "--name-only", "main").contains("offline.md")
            })
        #expect(
            try Wait.until(seconds: 120, every: 0.1) {
                try ReverieBinary.run(["status", "-C", a.dir.path]).stdout.contains("Sync error    cannot reach")
            })
        try FileManager.default.moveItem(atPath: away, toPath: remote.path)
        #expect(try Wait.until(seconds: 180, every: 0.1) { try remote.tip("main") == a.main() })
        #expect(!(try ReverieBinary.run(["status", "-C", a.dir.path]).stdout.contains("Sync error")))
        a.stop()
        try expectSound()
    }

    @Test func theScheduleBatchesPushesAndBacksOff() {
        var schedule = SyncSchedule(fetchInterval: .seconds(60), pushDelay: .seconds(3))
        #expect(schedule.isDue(at: .zero, mainAhead: false))  // on start
        schedule.finished(at: .seconds(1), succeeded: true)
        #expect(!schedule.isDue(at: .seconds(2), mainAhead: true))  // a push waits for the delay
        #expect(schedule.isDue(at: .seconds(4), mainAhead: true))
        #expect(!schedule.isDue(at: .seconds(30), mainAhead: false))
        #expect(schedule.isDue(at: .seconds(61), mainAhead: false))  // the fetch interval
        schedule.finished(at: .seconds(61), succeeded: false)
        #expect(schedule.backoff == .seconds(1) && !schedule.isDue(at: .milliseconds(61_500), mainAhead: true))
        #expect(schedule.isDue(at: .seconds(62), mainAhead: false))
        for failure in 2...12 { schedule.finished(at: .seconds(100 * failure), succeeded: false) }
        #expect(schedule.backoff == .seconds(60))  // never longer than the fetch interval
        schedule.finished(at: .seconds(2000), succeeded: true)
        #expect(schedule.failures == 0 && !schedule.isDue(at: .seconds(2001), mainAhead: false))
    }
}
