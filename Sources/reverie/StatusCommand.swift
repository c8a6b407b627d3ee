import ArgumentParser
import Dreaming
import Foundation
import Git
import Memory

struct StatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show the memory repo's state: main, pending edits, dreams awaiting review.",
        discussion: """
            Examples:
              reverie status
              reverie -C ~/agent-memory status --json
            """)

    @OptionGroup var global: GlobalOptions

    func run() throws {
        let memory = try global.openMemory()
        var status = try MemoryOverview.status(of: memory)
        if let sync = try? TeamSync(memory: memory, credentials: .forDaemon) {
            status.remote = try sync.standing(in: memory.repository)
        }
        if global.json { return try global.printJSON(status) }
        func row(_ label: String, _ value: String) {
            print(label.padding(toLength: 14, withPad: " ", startingAt: 0) + value)
        }
        row("Memory repo", status.path)
        row("HEAD", status.head)
        row("main", status.main.map { "\($0.id.prefix(7))  \($0.summary)  (\($0.date))" } ?? "no commits yet")
        row("Commits", "\(status.commits)")
        row("Memory files", "\(status.memoryFiles)")
        let pending = status.pending
        row(
            "Pending",
            pending.isEmpty
                ? "nothing uncommitted"
                : "\(pending.count) uncommitted: " + pending.prefix(5).joined(separator: ", ")
                    + (pending.count > 5 ? ", …" : ""))
        row("Daemon", status.daemonPID.map { "running (pid \($0))" } ?? "not running; start it with `reverie watch`")
        if let paused = status.paused { row("Auto-commit", "paused: \(paused)") }
        row(
            "Dreams",
            status.dreamsAwaitingReview.isEmpty
                ? "none awaiting review"
                : "\(status.dreamsAwaitingReview.count) awaiting review: "
                    + status.dreamsAwaitingReview.joined(separator: ", "))
        if let remote = status.remote {
            row("Remote", "\(remote.remote)  \(remote.url)  (sync \(remote.mode))")
            var standing =
                remote.ahead.map { "\($0) ahead, \(remote.behind ?? 0) behind \(remote.remote)/main" }
                ?? "not synced yet; run `reverie sync`"
            if let last = remote.lastSync { standing += "; last sync \(MemoryRepo.timestamp(last))" }
            row("Sync", standing)
            if let error = remote.lastError { row("Sync error", error) }
            for conflict in remote.conflicts {
                row(
                    "Conflict",
                    "\(conflict.branch) holds their lines of \(conflict.paths.joined(separator: ", ")): "
                        + "`git diff main \(conflict.branch)`, then `reverie sync resolve \(conflict.id)` (or --theirs)"
                )
            }
        }
        row("Policy", "merge \(status.mergePolicy), dream \(status.dreamSchedule)")
        if !status.untrustedSettings.isEmpty {
            row(
                "Settings",
                "not accepted on this machine, so not used: "
                    + status.untrustedSettings.map(\.key).joined(separator: ", ")
                    + "; review with `reverie trust --show`, then run `reverie trust`")
        }
        if let sessions = status.sessions {
            row("Sessions", "\(sessions.sessions) seen, \(sessions.new) new for the next dream")
            for source in sessions.sources {
                row("Source", source + (sessions.missing.contains(source) ? "  (not found)" : ""))
            }
        }
        for name in status.notUTF8 { row("Warning", PendingPaths.notCommittedReason(name)) }
        for problem in status.sessions?.warnings ?? [] { row("Warning", problem) }
        for file in status.sessions?.vanished ?? [] {
            row(
                "Warning",
                "\(file) vanished before a dream read it (Claude Code deletes transcripts "
                    + "after 30 days; raise cleanupPeriodDays in ~/.claude/settings.json)")
        }
    }
}
