import ArgumentParser
import Foundation
import Git
import Memory

/// `reverie trust`: a person on this machine accepts the shared settings that choose what
/// runs or where keys and data go, after seeing what changed and who changed it.
struct TrustCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "trust",
        abstract: "Accept, on this machine, the settings that choose what runs or where keys and data go.",
        discussion: """
            .reverie/config.toml is shared: whoever can push to the team's remote can change it. \
            The settings that run a program ([dream] consolidator, [model] command), send a key \
            and memory somewhere ([model] and [store] base_url and api_key_env, [store] id and \
            sessions, [remote] url) or read files here ([sessions] sources) are used only with the \
            values this machine accepted. This shows what changed since, and the commits that \
            changed the file with their authors, then records the new values in \
            .git/reverie/trusted-settings (never committed). `reverie init` records the settings \
            it writes; a commit of the file, yours or a teammate's, records nothing.

            Examples:
              reverie trust --show       what changed, and who changed it; records nothing
              reverie trust              the same, then asks
              reverie trust --yes        accept without asking, for scripts
            """)

    @OptionGroup var global: GlobalOptions

    @Flag(help: "Only show what changed; record nothing.")
    var show = false

    @Flag(help: "Accept without asking.")
    var yes = false

    func validate() throws {
        if show && yes { throw ValidationError("--show records nothing and --yes records without asking: choose one") }
    }

    func run() throws {
        let memory = try global.openMemory()
        let config = try memory.config()
        let trust = SettingsTrust(memory: memory)
        let untrusted = trust.untrusted(in: config)
        let commits =
            try memory.repository.tip(ofBranch: Repository.mainBranch) == nil
            ? []
            : try trust.commitsChangingSettings(in: memory.repository)
        let view = View(changes: untrusted?.changes ?? [], commits: commits.map(View.Commit.init), accepted: false)

        if global.json && (show || yes) {
            if yes { try trust.accept(config, main: try memory.repository.tip(ofBranch: Repository.mainBranch)) }
            return try global.printJSON(View(changes: view.changes, commits: view.commits, accepted: yes))
        }
        if !global.json { describe(view, hasRecord: untrusted?.hasRecord ?? (trust.record() != nil)) }
        if show { return }
        if !yes {
            guard !global.json, isatty(STDIN_FILENO) == 1 else {
                throw ValidationError("nothing recorded: review the above, then run `reverie trust --yes` to accept it")
            }
            Output.write(
                view.changes.isEmpty
                    ? "Record them as accepted on this machine? [y/N] "
                    : "Accept these values on this machine? [y/N] ", terminator: "")
            let answer = readLine()?.trimmingCharacters(in: .whitespaces).lowercased() ?? ""
            guard answer == "y" || answer == "yes" else {
                print("Nothing recorded.")
                throw ExitCode.failure
            }
        }
        // The values shown are the values recorded, even if the file changed meanwhile.
        let record = try trust.accept(config, main: try memory.repository.tip(ofBranch: Repository.mainBranch))
        print("Accepted on this machine (\(record.digest.prefix(12))) in .git/reverie/\(SettingsTrust.fileName).")
        if memory.daemonPID() != nil { print("Restart `reverie watch` so it uses them.") }
    }

    private func describe(_ view: View, hasRecord: Bool) {
        if view.changes.isEmpty {
            print(
                hasRecord
                    ? "The settings that choose what runs or where keys go are as this machine accepted them."
                    : "The settings that choose what runs or where keys go are at their defaults.")
        } else {
            print(
                hasRecord
                    ? "Changed since this machine accepted them:"
                    : "Not the defaults, and not accepted on this machine yet:")
            let width = view.changes.map(\.key.count).max() ?? 0
            for change in view.changes {
                print(
                    "  \(change.key.padding(toLength: width, withPad: " ", startingAt: 0))  \(change.accepted) → \(change.now)"
                )
            }
        }
        if !view.commits.isEmpty {
            print(
                hasRecord
                    ? "Commits that changed \(ReverieConfig.path) since:"
                    : "Commits that changed \(ReverieConfig.path):")
            for commit in view.commits {
                print("  \(commit.id.prefix(7))  \(commit.date)  \(commit.author)  \(commit.summary)")
            }
            print("Review them with `git log -p -- \(ReverieConfig.path)`.")
        }
    }

    /// What `--json` prints.
    struct View: Encodable {
        struct Commit: Encodable {
            let id: String, date: String, author: String, summary: String

            init(_ info: CommitInfo) {
                id = info.id.hex
                date = MemoryRepo.timestamp(info.author.date)
                author = "\(info.author.name) <\(info.author.email)>"
                summary = info.summary
            }
        }

        let changes: [UntrustedSettings.Change]
        let commits: [Commit]
        let accepted: Bool
    }
}
