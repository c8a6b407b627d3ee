import ArgumentParser
import Dreaming
import Memory

struct ShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Show a dream's changes, each with its rationale, evidence and diff, and the guardrails' verdicts.",
        discussion: """
            A dream is named by its id (20261125-030000), its branch (dreams/20261125-030000) or latest.

            Examples:
              reverie show latest
              reverie show 20261125-030000 --json
            """)

    @OptionGroup var global: GlobalOptions

    @Argument(help: "The dream: an id, dreams/<id>, or latest.")
    var dream: String

    func run() throws {
        let details = try DreamBook(memory: try global.openMemory()).show(dream)
        if global.json { return try global.printJSON(details) }
        let dream = details.dream
        print(
            "Dream \(dream.id)  (\(dream.state.rawValue); \(dream.changes) changes from \(details.sessions) sessions; "
                + "\(dream.consolidator); \(dream.created))")
        if let tokens = dream.tokens { print("Cost: \(tokens.input) input tokens, \(tokens.output) output tokens") }
        print("\nGuardrails:")
        for verdict in details.guardrails { print("  \(verdict)") }
        for change in details.changes {
            print("\n── \(change.number). [\(change.kind)] \(change.summary)  (\(change.commit.prefix(7)))")
            if !change.rationale.isEmpty {
                print(
                    change.rationale.split(separator: "\n", omittingEmptySubsequences: false).map { "   \($0)" }.joined(
                        separator: "\n"))
            }
            print(change.patch)
        }
        if !details.dropped.isEmpty {
            print("\nLeft out of this dream:")
            for dropped in details.dropped { print("  - \(dropped.summary): \(dropped.reason)") }
        }
    }
}
