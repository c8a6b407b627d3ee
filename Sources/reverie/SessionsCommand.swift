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
            has events and no dream has read any, "new events" when a dream read some and the agent \
            wrote more, "read" when dreams read them all, "active" while its agent may still be \
            writing it (changed within [sessions] idle_minutes), "empty" when it has no events. \
            The last line counts the rows by state; the next dream reads the new and new events.

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
        for warning in scan.sourceProblems.map(\.description) + scan.warnings.map(\.description) {
            Output.warn("warning: \(warning)")
        }
        let entries = new ? scan.new : scan.entries
        let rows = entries.map { entry in
            Row(
                id: entry.summary.id, source: entry.summary.source, file: entry.summary.file,
                state: entry.state.rawValue,
                project: entry.summary.project, started: entry.summary.started, ended: entry.summary.ended,
                events: entry.summary.events, toolCalls: entry.summary.toolCalls, errors: entry.summary.errors,
                eventsRead: entry.consumed)
        }
        if global.json { return try global.printJSON(rows) }
        if rows.isEmpty {
            print(
                new
                    ? "No new sessions."
                    : "No sessions. Sources: "
                        + catalog.sources.map(\.label).joined(separator: ", "))
            return
        }
        let table =
            [["ID", "SOURCE", "STARTED", "EVENTS", "TOOLS", "ERRORS", "STATE"]]
            + rows.map { row in
                [
                    row.id, row.source, MemoryRepo.timestamp(row.started), "\(row.events)", "\(row.toolCalls)",
                    "\(row.errors)", row.state,
                ]
            }
        let widths = (0..<7).map { column in table.map { $0[column].count }.max() ?? 0 }
        for line in table {
            print(
                zip(line, widths).map { $0.padding(toLength: $1, withPad: " ", startingAt: 0) }
                    .joined(separator: "  ").trimmingCharacters(in: .whitespaces))
        }
        // Counted by the state each row shows, so the rows and the total always agree.
        let counts = SessionCatalog.Entry.State.allCases.compactMap { state -> String? in
            let count = entries.filter { $0.state == state }.count
            return count == 0 ? nil : "\(count) \(state.rawValue)"
        }
        let next = entries.filter(\.isNew).count
        print(
            "\n\(rows.count) session\(rows.count == 1 ? "" : "s"): \(counts.joined(separator: ", ")); \(next) for the next dream"
        )
    }
}
