import ArgumentParser
import Foundation
import Memory

struct ConnectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "connect",
        abstract: "Make an agent read the memory: CLAUDE.md / AGENTS.md, and the MCP server in its settings.",
        discussion: """
            claude-code: an @…/MEMORY.md import in the project's CLAUDE.md (with --user: \
            ~/.claude/CLAUDE.md), and `reverie mcp` in the project's .mcp.json (with --user: \
            ~/.claude.json). codex: a marked block in the project's AGENTS.md (with --user: \
            ~/.codex/AGENTS.md). A person's text and other servers stay byte for byte as they \
            were; running it again changes nothing; --remove takes out exactly what it added.

            Examples:
              reverie -C ~/agent-memory connect claude-code --dry-run
              reverie -C ~/agent-memory connect codex --project ~/code/shop
              reverie -C ~/agent-memory connect claude-code --remove
            """)

    @OptionGroup var global: GlobalOptions

    @Argument(help: "claude-code or codex.")
    var agent: String

    @Option(help: "The project whose files to change (default: the git repository around the current folder).")
    var project: String?

    @Flag(help: "Change the user's own files instead of a project's.")
    var user = false

    @Flag(help: "Take out what connect added.")
    var remove = false

    @Flag(help: "Show the changes, write nothing.")
    var dryRun = false

    func validate() throws {
        guard AgentConnection.Agent(rawValue: agent) != nil else {
            throw ValidationError(
                "agent must be one of " + AgentConnection.Agent.allCases.map(\.rawValue).joined(separator: ", "))
        }
        if user && project != nil { throw ValidationError("give --project or --user, not both") }
    }

    func run() throws {
        let memory = try global.openMemory()
        let home = ProcessInfo.processInfo.environment["HOME"] ?? NSHomeDirectory()
        let environment = ProcessInfo.processInfo.environment
        let folder = user ? nil : Self.absolute(project) ?? Self.gitRoot(of: FileManager.default.currentDirectoryPath)
        // The project's own auto memory is loaded by Claude Code already; another project's is not.
        let autoMemory =
            folder.flatMap { try? AutoMemoryLocation.find(project: $0, environment: environment) }
            .map { Self.resolved($0.memoryFolder) == Self.resolved(memory.root) } ?? false
        let connection = AgentConnection(
            agent: AgentConnection.Agent(rawValue: agent)!, memory: memory.root, project: folder,
            home: home, environment: environment,
            reverie: Reverie.configuration.subcommands.contains { $0.configuration.commandName == "mcp" }
                ? Self.executable : nil,
            isClaudeCodeAutoMemory: autoMemory)
        if connection.isClaudeCodeAutoMemory && connection.agent == .claudeCode && !remove {
            print(
                "\(memory.root) is Claude Code's auto memory, which it loads into every session: CLAUDE.md needs no import."
            )
        }
        let edits = try connection.plan(remove: remove)
        for edit in edits {
            guard edit.changes else {
                print("\(edit.path): \(remove ? "holds nothing of Reverie's" : "already connected")")
                continue
            }
            let verb = edit.after == nil ? "delete" : edit.before == nil ? "create" : "change"
            print(
                "\(dryRun ? "Would \(verb)" : verb.prefix(1).uppercased() + verb.dropFirst() + (verb.hasSuffix("e") ? "d" : "ed")) \(edit.path):"
            )
            for line in Self.difference(edit.before ?? "", edit.after ?? "") { print("  \(line)") }
        }
        if !dryRun { try AgentConnection.apply(edits) }
    }

    static func absolute(_ path: String?) -> String? {
        guard let path else { return nil }
        return URL(fileURLWithPath: (path as NSString).expandingTildeInPath).standardizedFileURL.path
    }

    private static func resolved(_ path: String) -> String {
        URL(fileURLWithPath: path).resolvingSymlinksInPath().standardizedFileURL.path
    }

    /// The folder holding `.git` at or above `folder`, else `folder`.
    static func gitRoot(of folder: String) -> String {
        var current = URL(fileURLWithPath: folder).standardizedFileURL
        while current.path != "/" {
            if FileManager.default.fileExists(atPath: current.appendingPathComponent(".git").path) {
                return current.path
            }
            current.deleteLastPathComponent()
        }
        return folder
    }

    /// This program, as an MCP client should start it.
    static var executable: String {
        URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().path
    }

    /// The lines taken out (-) and put in (+).
    static func difference(_ before: String, _ after: String) -> [String] {
        let old = before.split(separator: "\n", omittingEmptySubsequences: false)
        let new = after.split(separator: "\n", omittingEmptySubsequences: false)
        var prefix = 0
        while prefix < min(old.count, new.count), old[prefix] == new[prefix] { prefix += 1 }
        var suffix = 0
        while suffix < min(old.count, new.count) - prefix, old[old.count - 1 - suffix] == new[new.count - 1 - suffix] {
            suffix += 1
        }
        return old[prefix..<(old.count - suffix)].map { "- \($0)" }
            + new[prefix..<(new.count - suffix)].map { "+ \($0)" }
    }
}
