import ArgumentParser
import Foundation
import Git
import Memory

struct SyncCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sync",
        abstract: "Sync memory with the team's remote: fetch, merge into main, push.",
        discussion: """
            One round: the remote's main is fetched and brought into main (a fast-forward, or a \
            merge commit), then main is pushed, never forced. When both sides changed the same \
            lines, main keeps yours and theirs wait on a branch sync/<id>: review it with \
            `git diff main sync/<id>` and finish with `reverie sync resolve`. A remote whose \
            history was rewritten is refused.

            Examples:
              reverie sync
              reverie sync --json
              reverie sync resolve 20261125-093000-laptop-3f2a --theirs
            """,
        subcommands: [SyncRoundCommand.self, SyncResolveCommand.self],
        defaultSubcommand: SyncRoundCommand.self)
}

struct SyncRoundCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "now", abstract: "One round of sync (the default).")

    @OptionGroup var global: GlobalOptions

    func run() throws {
        let memory = try global.openMemory()
        let sync = try TeamSync(memory: memory)
        let report = sync.round(in: memory.repository)
        if global.json {
            try global.printJSON(report)
        } else {
            Self.describe(report, url: sync.settings.url)
        }
        if let error = report.error { Reverie.fail(error) }
    }

    static func describe(_ report: SyncReport, url: String) {
        var line = "Synced with \(report.remote) (\(RemoteURL.displayed(url))): \(report.integration.rawValue)"
        if let before = report.mainBefore, let after = report.mainAfter, before != after {
            line += ", main \(before) → \(after)"
        }
        line += report.pushed.isEmpty ? "; nothing to push." : "; pushed \(report.pushed.joined(separator: ", "))."
        if report.error == nil || report.integration != .skipped { print(line) }
        if let branch = report.conflictBranch {
            let id = branch.dropFirst("sync/".count)
            print(
                """
                Both sides changed the same lines of \(report.conflictPaths.joined(separator: ", ")): main keeps yours, \
                theirs are on \(branch).
                  review:      git diff main \(branch)
                  keep main:   reverie sync resolve \(id)
                  take theirs: reverie sync resolve \(id) --theirs
                """)
        }
        for dream in report.dreamsPushed {
            print("Pushed \(dream.branch)" + (dream.compareURL.map { "; open a pull request: \($0)" } ?? "."))
        }
        if !report.untrustedSettings.isEmpty {
            print(
                "The team changed settings that choose what runs or where keys go "
                    + "(\(report.untrustedSettings.joined(separator: ", "))): they are not used here until you review them "
                    + "(`reverie trust --show`) and run `reverie trust`.")
        } else if report.settingsChanged {
            print("The team changed .reverie/config.toml: review it (`git log -p -1 -- .reverie/config.toml`).")
        }
    }
}

struct SyncResolveCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "resolve",
        abstract: "Finish a sync conflict: keep main as it is (edit it first if you like), or take their lines.",
        discussion: """
            The branch is deleted here and on the remote, and kept under refs/reverie/resolved/<id>. \
            With plain git: `git merge sync/<id>` takes their lines, `git branch -D sync/<id>` keeps main.
            """)

    @OptionGroup var global: GlobalOptions

    @Argument(help: "The conflict: its id or sync/<id>; `reverie status` lists them. Omitted: the only one.")
    var conflict: String?

    @Flag(help: "Merge their lines into main first.")
    var theirs = false

    func run() throws {
        let memory = try global.openMemory()
        let sync = try TeamSync(memory: memory)
        var name = conflict
        if name == nil {
            let waiting = try sync.conflicts(in: memory.repository)
            guard waiting.count == 1 else {
                throw ValidationError(
                    waiting.isEmpty
                        ? "no sync conflict is waiting"
                        : "several conflicts wait; name one: " + waiting.map(\.id).joined(separator: ", "))
            }
            name = waiting[0].id
        }
        let merged = try sync.resolve(name!, takeTheirs: theirs, in: memory.repository)
        let id = name!.hasPrefix("sync/") ? String(name!.dropFirst(5)) : name!
        if theirs {
            print(
                "Took their lines from sync/\(id)"
                    + (merged.map { " into main (\($0.short))" } ?? "; main had them already") + ".")
        } else {
            print("Kept main as it is; sync/\(id) is resolved (kept under refs/reverie/resolved/\(id)).")
        }
        let report = sync.round(in: memory.repository)
        if let error = report.error { Output.warn("warning: not pushed yet: \(error)") }
    }
}
