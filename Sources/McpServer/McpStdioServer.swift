import Logging
import MCP
import Memory

/// `reverie mcp`: an MCP server on standard input and output over one memory repo, for any
/// MCP client (Claude Code, Codex, …) to read and write memory with.
///
/// Standard output carries protocol messages only: logs go through `logger`, which the
/// command line sends to standard error.
public enum McpStdioServer {
    /// What the server tells a client about itself when it connects.
    static let instructions = """
        Reverie keeps your long-term memory: Markdown files under /memories, in a git repository that \
        people also edit. Look at /memories before you start a task (the memory tool's view, or search), \
        and record what you learn that will matter later: mistakes to avoid, how the team works, \
        preferences people stated. Every change is committed at once under your name; history shows who \
        wrote what. Pinned files and lines are a person's word: leave them as they are.
        """

    /// Serves the memory repo around `folder` until the client closes standard input.
    /// - Throws: when there is no memory repo there, or its settings cannot be read.
    public static func run(folder: String, version: String, logger: Logger) async throws {
        let memory = try MemoryServer(folder: folder, logger: logger)
        let server = Server(
            name: "reverie", version: version, title: "Reverie memory", instructions: instructions,
            capabilities: .init(tools: .init(listChanged: false)),
            // No call before initialize, so every write knows its agent's name.
            configuration: .strict)
        await server.withMethodHandler(ListTools.self) { _ in
            ListTools.Result(tools: ToolCatalog.tools)
        }
        await server.withMethodHandler(CallTool.self) { parameters in
            let result = await memory.call(parameters.name, arguments: parameters.arguments ?? [:])
            return CallTool.Result(
                content: [.text(text: result.text, annotations: nil, _meta: nil)],
                isError: result.isError)
        }
        let transport = AnsweringTransport(logger: logger)
        try await server.start(transport: transport) { client, _ in
            await memory.setAgent(clientName: client.name)
        }
        logger.debug("Waiting for an MCP client on standard input (memory repo \(memory.root))")
        await server.waitUntilCompleted()
        // Standard input is closed; calls read before that still finish and are answered.
        await transport.waitUntilAnswered()
        await memory.waitUntilIdle()
        await server.stop()
        logger.debug("Standard input closed; stopped")
    }
}
