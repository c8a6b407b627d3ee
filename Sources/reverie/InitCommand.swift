import ArgumentParser
import Foundation
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

            With --claude-code, the folder is a project Claude Code works in, and the repo is \
            made in that project's auto memory folder (~/.claude/projects/<project>/memory, or \
            where CLAUDE_CONFIG_DIR or an autoMemoryDirectory setting moves it): every edit \
            Claude Code makes there is committed, its background consolidation becomes one \
            commit that `reverie rollback <commit>` undoes, dreams read the project's \
            transcripts and keep MEMORY.md within what Claude Code loads.

            Examples:
              reverie init ~/agent-memory
              reverie init              (the current folder)
              reverie init --claude-code ~/src/myapp
            """)

    @OptionGroup var global: GlobalOptions

    @Flag(
        name: .customLong("claude-code"),
        help: "Make the Claude Code auto memory of the project at <dir> (default: the current folder) a memory repo.")
    var claudeCode = false

    @Argument(help: ArgumentHelp("The folder (default: -C, $REVERIE_REPO or the current folder).", valueName: "dir"))
    var path: String?

    func run() throws {
        let memory: MemoryRepo
        let report: MemoryRepo.InitReport
        var location: AutoMemoryLocation?
        if claudeCode {
            let project = path ?? FileManager.default.currentDirectoryPath
            (memory, report, location) = try MemoryRepo.initializeClaudeCode(
                project: project, environment: ProcessInfo.processInfo.environment)
        } else {
            (memory, report) = try MemoryRepo.initialize(at: path ?? global.folder)
        }
        if global.json { return try global.printJSON(report) }
        // Settings that came with the repo (a clone) are not this person's yet.
        if let untrusted = SettingsTrust(memory: memory).untrusted(in: try memory.config()) {
            print(
                "Not used until you accept them: \(untrusted.keys.joined(separator: ", ")) in \(ReverieConfig.path); "
                    + "review with `reverie trust --show`, then run `reverie trust`.")
        }
        if let location {
            print(
                "Claude Code's auto memory for \(location.projectRoot) is \(location.memoryFolder) (\(location.chosenBy))."
            )
            print("Sessions: the project's transcripts in \(location.projectFolder).")
        }
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
        if location != nil {
            print(
                "Next: `reverie -C \(report.path) watch` commits every edit Claude Code makes there "
                    + "(or install the systemd unit, README).")
        } else {
            print("Next: edit Markdown files there, and run `reverie -C \(report.path) status`.")
        }
    }
}
