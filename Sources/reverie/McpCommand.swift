import ArgumentParser
import Daemon
import Logging
import McpServer

struct McpCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mcp",
        abstract: "Serve memory to an AI agent: an MCP server on standard input and output.",
        discussion: """
            Offers three tools to any MCP client (Claude Code, Codex, …): `memory` (Anthropic's memory \
            tool: view, create, str_replace, insert, delete, rename under /memories), `search` (lines \
            of memory that hold some words, best first) and `history` (a file's commits on main, dream \
            merges, rollbacks and agents' edits marked). Every change is committed to main at once, \
            with a `Reverie-Agent:` trailer naming the client; a person's uncommitted edit to the same \
            file is committed first, on its own. Pinned memory, .git, .reverie and paths outside \
            memory are refused. Logs go to stderr; stdout carries only the protocol.

            Claude Code: add to .mcp.json
              {"mcpServers": {"reverie": {"command": "reverie", "args": ["-C", "/path/to/memory", "mcp"]}}}

            Examples:
              reverie -C ~/agent-memory mcp
              reverie mcp --log-level debug
            """)

    @OptionGroup var global: GlobalOptions

    @OptionGroup var logging: LogOptions

    func run() async throws {
        // Before anything logs: swift-log's default handler writes to stdout, the protocol's channel.
        logging.bootstrap()
        try await McpStdioServer.run(
            folder: global.folder, version: Reverie.configuration.version,
            logger: Logger(label: "reverie.mcp"))
    }
}
