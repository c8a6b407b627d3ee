import ArgumentParser
import Consolidators
import Dreaming
import Foundation
import Memory
import Sessions

struct DreamCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dream",
        abstract: "Dream once now: learn from the new sessions and propose changes to memory as dreams/<id>.",
        discussion: """
            The built-in consolidator finds recurring mistakes, converging workflows and team \
            preferences, and keeps MEMORY.md as the index. With [dream] merge = "auto" a dream \
            whose guardrails pass is merged into main; otherwise it waits for `reverie approve`.

            Examples:
              reverie dream --dry-run            print the plan, write nothing
              reverie dream                      dream now
              reverie dream --sessions ID ID     dream again over chosen sessions
            """)

    @OptionGroup var global: GlobalOptions

    @Flag(help: "Print the plan and the guardrails' verdicts; write nothing.")
    var dryRun = false

    @Option(parsing: .upToNextOption, help: "Dream over these sessions (all their events), read before or not.")
    var sessions: [String] = []

    @Option(help: "Who dreams this time: builtin, anthropic, openai or command (default: [dream] consolidator).")
    var consolidator: String?

    func run() async throws {
        let memory = try global.openMemory()
        let config = try memory.config()
        let engine = DreamEngine(
            memory: memory, config: config, catalog: SessionCatalog(memory: memory, config: config))
        let showProgress = isatty(STDERR_FILENO) == 1 && !global.json
        if let consolidator, !ReverieConfig.consolidators.contains(consolidator) {
            throw ValidationError(
                "--consolidator must be one of " + ReverieConfig.consolidators.joined(separator: ", "))
        }
        let chosen = try ConsolidatorChoice.make(
            consolidator, config: config, folder: memory.root,
            trust: SettingsTrust(memory: memory)
        ) { step in
            if showProgress { Output.warn("… \(step)") }
        }
        if !dryRun {
            TeamPush.beforeDream(memory)
            // [store] sync: the store's news first, so the dream sees them; offline, it dreams on what is here.
            do {
                if let synced = try await StoreMirror.beforeDream(memory: memory, config: config), showProgress {
                    Output.warn("… \(synced)")
                }
            } catch {
                Output.warn("warning: the memory store was not synced before the dream: \(error)")
            }
        }
        let sessionIDs = sessions.isEmpty ? nil : sessions, dryRun = dryRun
        let task = Task {
            try await engine.dream(with: chosen, sessionIDs: sessionIDs, dryRun: dryRun) { step in
                if showProgress { Output.warn("… \(step)") }
            }
        }
        // Ctrl-C cancels the dream (a platform dream is canceled remotely too); a second one kills.
        let interrupt = DispatchSource.makeSignalSource(signal: SIGINT, queue: .global())
        interrupt.setEventHandler {
            signal(SIGINT, SIG_DFL)
            task.cancel()
        }
        signal(SIGINT, SIG_IGN)
        interrupt.resume()
        defer {
            interrupt.cancel()
            signal(SIGINT, SIG_DFL)
        }
        let report = try await task.value
        // The dream's task took `memory` with it: what follows opens the repo again.
        let published = try global.openMemory()
        defer {
            switch report.outcome {
            case .review, .conflicted: TeamPush.publish(dream: report.id, in: published, json: global.json)
            case .merged: TeamPush.afterChange(published, json: global.json)
            default: break
            }
        }
        if global.json { return try global.printJSON(report) }
        for warning in report.warnings.prefix(20) { Output.warn("warning: \(warning)") }
        switch report.outcome {
        case .nothingNew:
            print("Nothing new to dream about: no new sessions (`reverie sessions` lists them).")
            return
        case .dryRun:
            print(
                "Dry run: the dream would read \(report.sessions) session\(report.sessions == 1 ? "" : "s") "
                    + "and make \(report.changes.count) change\(report.changes.count == 1 ? "" : "s"); nothing was written."
            )
        default:
            print(
                "Dream \(report.id): \(report.changes.count) change\(report.changes.count == 1 ? "" : "s") "
                    + "from \(report.sessions) session\(report.sessions == 1 ? "" : "s"), \(report.outcome.rawValue).")
        }
        for (number, change) in report.changes.enumerated() {
            print("  \(number + 1). [\(change.kind)] \(change.summary)")
        }
        for dropped in report.dropped { print("  left out: \(dropped.summary): \(dropped.reason)") }
        if let tokens = report.tokens { print("Cost: \(tokens.input) input tokens, \(tokens.output) output tokens") }
        print("Guardrails:")
        for verdict in report.guardrails { print("  \(verdict)") }
        if let reason = report.waitsBecause { print("Waits for a person: \(reason)") }
        if report.outcome == .review || report.outcome == .conflicted {
            print("Inspect: reverie show \(report.id)   or   git log -p main..dreams/\(report.id)")
        }
    }
}
