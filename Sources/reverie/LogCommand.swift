import ArgumentParser
import Memory

struct LogCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "log",
        abstract: "Show main's history, newest first, with dream merges marked.",
        discussion: """
            Follows main's first parents, so each dream shows as the one merge that brought \
            it in; `git log dreams/<id>` shows its changes.

            Examples:
              reverie log
              reverie log -n 5 --json
            """)

    @OptionGroup var global: GlobalOptions

    @Option(name: [.customShort("n"), .long], help: "Show at most this many commits.")
    var maxCount: Int?

    func validate() throws {
        if let maxCount, maxCount < 1 { throw ValidationError("-n must be at least 1") }
    }

    func run() throws {
        let entries = try global.openMemory().history(limit: maxCount)
        if global.json { return try global.printJSON(entries) }
        if entries.isEmpty { print("main has no commits yet.") }
        for entry in entries {
            let date = entry.date.replacingOccurrences(of: "T", with: " ").replacingOccurrences(of: "Z", with: "")
            let mark =
                switch entry.kind {
                case .dream: "✦ dream \(entry.dream ?? "")  "
                case .merge: "merge  "
                case .edit: ""
                }
            print("\(entry.id.prefix(7))  \(date.prefix(16))  \(entry.author)  \(mark)\(entry.summary)")
        }
    }
}
