import ArgumentParser
import Git
import Memory

struct RemoteCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "remote",
        abstract: "Show or set the git remote the team shares memory through.",
        discussion: """
            Examples:
              reverie remote
              reverie remote add git@github.com:acme/agent-memory.git
              reverie remote add https://git.example.com/team/memory.git --sync auto
            """,
        subcommands: [RemoteShowCommand.self, RemoteAddCommand.self],
        defaultSubcommand: RemoteShowCommand.self)
}

struct RemoteShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "show", abstract: "Show the remote and how it syncs.")

    @OptionGroup var global: GlobalOptions

    func run() throws {
        let remote = try global.openMemory().config().remote
        if global.json { return try global.printJSON(RemoteView(remote)) }
        guard remote.isConfigured else { return print("No remote; `reverie remote add URL` sets one.") }
        print(
            "\(remote.name)  \(RemoteURL.displayed(remote.url))  (sync \(remote.sync.rawValue), "
                + "push_dreams \(remote.pushDreams))")
    }

    private struct RemoteView: Encodable {
        let name: String, url: String, sync: String, pushDreams: Bool
        init(_ remote: ReverieConfig.Remote) {
            (name, url, sync, pushDreams) = (
                remote.name, RemoteURL.displayed(remote.url), remote.sync.rawValue, remote.pushDreams
            )
        }
    }
}

struct RemoteAddCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add",
        abstract: "Share this memory through a git remote: sets [remote] in .reverie/config.toml and commits it.",
        discussion: """
            Credentials come from your git setup (credential helpers, the SSH agent, GIT_ASKPASS); \
            Reverie stores none, and refuses a URL holding a password. The URL is in the shared \
            settings, so every teammate's clone syncs with the same remote.
            """)

    @OptionGroup var global: GlobalOptions

    @Argument(help: "The remote's URL: https://…, git@host:path, ssh://…, git://… or file://…")
    var url: String

    @Option(help: "The remote's name in git's config.")
    var name: String?

    @Option(help: "auto: the daemon fetches, merges and pushes by itself; manual: only `reverie sync` does.")
    var sync: String?

    @Flag(inversion: .prefixedNo, help: "Push each dream's branch when it is made, for review as a pull request.")
    var pushDreams = true

    func run() throws {
        let memory = try global.openMemory()
        var remote = try memory.config().remote
        remote.url = url
        if let name { remote.name = name }
        if let sync {
            guard let mode = ReverieConfig.SyncMode(rawValue: sync) else {
                throw ValidationError("--sync must be auto or manual")
            }
            remote.sync = mode
        }
        remote.pushDreams = pushDreams
        let commit = try memory.setRemote(remote)
        print(
            "Memory syncs with \(remote.name) (\(RemoteURL.displayed(url))), sync \(remote.sync.rawValue)"
                + (commit.map { "; settings committed as \($0.short)" } ?? "") + ".")
        print("Run `reverie sync` now" + (remote.sync == .auto ? ", or let `reverie watch` do it." : "."))
    }
}
