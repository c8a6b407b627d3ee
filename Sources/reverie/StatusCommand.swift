import ArgumentParser
import Foundation
import Dreaming
import Git
import Memory
import Sessions

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
        var status = try memory.status()
        // Dream states come from refs and trailers: one approved in part or rolled back is
        // not waiting, whatever its branch says.
        status.dreamsAwaitingReview = try DreamBook(memory: memory).list()
            .filter { $0.state == .review || $0.state == .conflicted }.map { "dreams/\($0.id)" }
        let catalog = SessionCatalog(memory: memory, config: try memory.config())
        let scan = try catalog.scan(consumed: try memory.sessionsRead())
        status.sessions = .init(sources: catalog.sources.map(\.label), missing: scan.missingSources.map(\.label),
                                sessions: scan.entries.count, new: scan.new.count, vanished: scan.vanished,
                                warnings: scan.sourceProblems.map(\.description))
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
        row("Pending", pending.isEmpty ? "nothing uncommitted"
            : "\(pending.count) uncommitted: " + pending.prefix(5).joined(separator: ", ")
                + (pending.count > 5 ? ", …" : ""))
        row("Daemon", status.daemonPID.map { "running (pid \($0))" } ?? "not running; start it with `reverie watch`")
        if let paused = status.paused { row("Auto-commit", "paused: \(paused)") }
        row("Dreams", status.dreamsAwaitingReview.isEmpty ? "none awaiting review"
            : "\(status.dreamsAwaitingReview.count) awaiting review: "
                + status.dreamsAwaitingReview.joined(separator: ", "))
        if let remote = status.remote {
            row("Remote", "\(remote.remote)  \(remote.url)  (sync \(remote.mode))")
            var standing = remote.ahead.map { "\($0) ahead, \(remote.behind ?? 0) behind \(remote.remote)/main" }
                ?? "not synced yet; run `reverie sync`"
            if let last = remote.lastSync { standing += "; last sync \(MemoryRepo.timestamp(last))" }
            row("Sync", standing)
            if let error = remote.lastError { row("Sync error", error) }
            for conflict in remote.conflicts {
                row("Conflict", "\(conflict.branch) holds their lines of \(conflict.paths.joined(separator: ", ")): "
                    + "`git diff main \(conflict.branch)`, then `reverie sync resolve \(conflict.id)` (or --theirs)")
            }
        }
        row("Policy", "merge \(status.mergePolicy), dream \(status.dreamSchedule)")
        row("Sessions", "\(scan.entries.count) seen, \(scan.new.count) new for the next dream")
        for source in catalog.sources {
            row("Source", source.label + (scan.missingSources.contains(source) ? "  (not found)" : ""))
        }
        for name in status.notUTF8 { row("Warning", PendingPaths.notCommittedReason(name)) }
        for problem in scan.sourceProblems { row("Warning", problem.description) }
        for file in scan.vanished {
            row("Warning", "\(file) vanished before a dream read it (Claude Code deletes transcripts "
                + "after 30 days; raise cleanupPeriodDays in ~/.claude/settings.json)")
        }
    }
}
