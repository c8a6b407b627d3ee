import ArgumentParser
import Dreaming
import Memory

struct DreamsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dreams",
        abstract: "List every dream with its state: review, merged, conflicted, rejected, rolled back.",
        discussion: """
            Examples:
              reverie dreams
              reverie dreams --json
            """)

    @OptionGroup var global: GlobalOptions

    func run() throws {
        let dreams = try DreamBook(memory: try global.openMemory()).list()
        if global.json { return try global.printJSON(dreams) }
        guard !dreams.isEmpty else { return print("No dreams yet; `reverie dream` makes one.") }
        let rows =
            [["DREAM", "STATE", "CHANGES", "CREATED", "CONSOLIDATOR", "MERGED BY"]]
            + dreams.map {
                [$0.id, $0.state.rawValue, "\($0.changes)", $0.created, $0.consolidator, $0.mergedBy ?? ""]
            }
        Table.print(rows)
    }
}
