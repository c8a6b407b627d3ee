import ArgumentParser
import Foundation
import Memory
import Sessions

struct SessionsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sessions",
        abstract: "List the agent sessions the sources hold, and whether a dream has read them.",
        discussion: """
            Sources are set in .reverie/config.toml ([sessions] sources); by default Claude \
            Code's ~/.claude/projects and Codex's ~/.codex/sessions. A session is "new" when it \
            has events no dream has read and its file has been idle for [sessions] idle_minutes; \
            "active" while its agent may still be writing it.

            Examples:
              reverie sessions
              reverie sessions --new
              reverie sessions --json | jq '.[] | select(.errors > 0)'
            """)

    @OptionGroup var global: GlobalOptions

    @Flag(help: "Only the sessions the next dream would read.")
    var new = false

    struct Row: Encodable {
        let id, source, file, state: String
        let project: String?
        let started, ended: Date?
        let events, toolCalls, errors, eventsRead: Int
    }

    func run() throws {
        let memory = try global.openMemory()
        let catalog = SessionCatalog(memory: memory, config: try memory.config())
        let scan = try catalog.scan(consumed: try memory.sessionsRead())
        for warning in scan.warnings { Output.warn("warning: \(warning)") }
        let entries = new ? scan.new : scan.entries
        let rows = entries.map { entry in
            Row(id: entry.summary.id, source: entry.summary.source, file: entry.summary.file, state: entry.state,
                project: entry.summary.project, started: entry.summary.started, ended: entry.summary.ended,
                events: entry.summary.events, toolCalls: entry.summary.toolCalls, errors: entry.summary.errors,
                eventsRead: entry.consumed)
        }
        if global.json { return try global.printJSON(rows) }
        if rows.isEmpty {
            print(new ? "No new sessions." : "No sessions. Sources: "
                + catalog.sources.map(\.label).joined(separator: ", "))
            return
        }
        let table = [["ID", "SOURCE", "STARTED", "EVENTS", "TOOLS", "ERRORS", "STATE"]] + rows.map { row in
            [row.id, row.source, MemoryRepo.timestamp(row.started), "\(row.events)", "\(row.toolCalls)",
             "\(row.errors)", row.state]
        }
        let widths = (0..<7).map { column in table.map { $0[column].count }.max() ?? 0 }
        for line in table {
            print(zip(line, widths).map { $0.padding(toLength: $1, withPad: " ", startingAt: 0) }
                .joined(separator: "  ").trimmingCharacters(in: .whitespaces))
        }
        let fresh = scan.new.count
        print("\n\(rows.count) session\(rows.count == 1 ? "" : "s"), \(fresh) new")
    }
}

extension SessionCatalog.Entry {
    /// How `reverie sessions` names where a session stands.
    var state: String {
        if active { return "active" }
        if consumed == 0 { return "new" }
        return unread > 0 ? "new events" : "read"
    }
}
