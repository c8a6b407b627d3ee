import ArgumentParser
import Consolidators
import Daemon
import Dreaming
import Foundation
import Git
import Memory
import Sessions

/// The `reverie` command: thin wrappers that parse arguments and call the layers below.
@main
struct Reverie: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reverie",
        abstract: "Keeps an AI agent's Markdown memory in git and lets it dream.",
        discussion: """
            The memory folder is a plain git repository on `main`. Every command works on the \
            repo given by -C DIR, else $REVERIE_REPO, else the git repo around the current folder.

            Examples:
              reverie init ~/agent-memory        make a folder a memory repo (or adopt a git repo)
              reverie -C ~/agent-memory watch    commit every edit there, until Ctrl-C or SIGTERM
              reverie -C ~/agent-memory status   state of the repo, pending edits, dreams to review
              reverie log -n 20                  main's history, dream merges marked
              reverie status --json              the same for scripts
            """,
        version: "0.1.0",
        subcommands: [
            InitCommand.self, WatchCommand.self, StatusCommand.self, LogCommand.self, SessionsCommand.self,
            DreamCommand.self, DreamsCommand.self, ShowCommand.self, ApproveCommand.self, RejectCommand.self,
            RollbackCommand.self, EvalCommand.self, ConnectCommand.self, McpCommand.self, StoreCommand.self,
            RemoteCommand.self, SyncCommand.self, TrustCommand.self,
        ]
    )

    /// Parses and runs, turning every failure into one line on stderr and a non-zero exit.
    static func main() async {
        var arguments = Array(CommandLine.arguments.dropFirst())
        // Accept git's habit of `reverie -C DIR status`: each subcommand owns -C, so move it there.
        if arguments.count >= 3, arguments[0] == "-C" {
            let directory = arguments[1]
            arguments.removeFirst(2)
            arguments.insert(contentsOf: ["-C", directory], at: min(1, arguments.count))
        }
        do {
            var command = try parseAsRoot(arguments)
            if var asynchronous = command as? AsyncParsableCommand {
                try await asynchronous.run()
            } else {
                try command.run()
            }
        } catch let error as any ReverieError {
            fail(message(for: error))
        } catch {
            exit(withError: error)
        }
    }

    /// What to print for `error`: its own text, or, where the remedy is a command or a flag
    /// of this program, the fact with that remedy (the layers below speak only of git).
    static func message(for error: any ReverieError) -> String {
        switch error {
        case GitError.notARepository(let path), MemoryError.git(.notARepository(let path)):
            return "\(path) is not inside a git repository; run `reverie init` there or pass -C DIR"
        default:
            return error.description
        }
    }

    static func fail(_ message: String) -> Never {
        Output.warn("reverie: \(message)")
        Foundation.exit(1)
    }
}
