import ArgumentParser
import Memory

struct InitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Make a folder a memory repo, or adopt an existing git repo.",
        discussion: """
            Creates the folder and a git repository on `main` when needed, writes \
            .reverie/config.toml (every setting commented at its default) and .gitignore rules \
            for editor temp files, and commits them. An existing repo is adopted when it is on \
            `main`. Running it again changes nothing.

            Examples:
              reverie init ~/agent-memory
              reverie init              (the current folder)
            """)

    @OptionGroup var global: GlobalOptions

    @Argument(help: ArgumentHelp("The folder (default: -C, $REVERIE_REPO or the current folder).", valueName: "dir"))
    var path: String?

    func run() throws {
        let (_, report) = try MemoryRepo.initialize(at: path ?? global.folder)
        if global.json { return try global.printJSON(report) }
        let verb = report.createdRepository ? "Created" : "Adopted"
        if report.commit == nil && report.wroteFiles.isEmpty {
            print("\(report.path) is already a memory repo; nothing to do.")
        } else {
            print("\(verb) memory repo \(report.path) on main.")
            for file in report.wroteFiles { print("  wrote \(file)") }
            if let commit = report.commit { print("  committed \(commit.prefix(7))") }
        }
        if !report.pendingLeft.isEmpty {
            print("\(report.pendingLeft.count) uncommitted change(s) left as they are; `reverie watch` commits them.")
        }
        print("Next: edit Markdown files there, and run `reverie -C \(report.path) status`.")
    }
}
