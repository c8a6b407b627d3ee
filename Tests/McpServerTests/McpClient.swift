import Foundation
import TestSupport

/// The MCP client of the Python `mcp` package (Tests/Fixtures/mcp_client.py) driving the
/// `reverie mcp` SwiftPM built: a client nobody here wrote.
enum McpClient {
    /// What the client saw.
    struct Report: Decodable {
        struct Server: Decodable {
            let name: String
            let version: String
        }

        struct ToolInfo: Decodable {
            let name: String
        }

        /// The repo and the folder outside it, as `observe` records them.
        struct State: Decodable, Equatable, CustomStringConvertible {
            let status: String
            let main: String
            let outside: String
            var description: String { "main \(main.prefix(7)), status [\(status)], outside \(outside.prefix(8))" }
        }

        struct Result: Decodable {
            let isError: Bool
            let text: String
            let protocolError: Bool?
            let after: State?
        }

        let server: Server
        let instructions: String?
        let tools: [ToolInfo]
        let before: State?
        let results: [Result]
    }

    /// The virtual environment's Python that scripts/setup --mcp-client makes, or $REVERIE_MCP_PYTHON.
    static let python: String = {
        if let chosen = ProcessInfo.processInfo.environment["REVERIE_MCP_PYTHON"], !chosen.isEmpty { return chosen }
        return ReverieBinary.projectRoot + "/.build/mcp-venv/bin/python"
    }()

    struct NotInstalled: Error, CustomStringConvertible {
        var description: String {
            "The Python MCP client is not installed at \(McpClient.python): run scripts/setup --mcp-client "
                + "(scripts/test does), or point REVERIE_MCP_PYTHON at a python3 that has the `mcp` package."
        }
    }

    /// Starts `reverie -C repo mcp`, connects as `clientName`, lists the tools and makes `calls`
    /// (each `["tool": …, "arguments": […]]`); with `outside`, records the repo's state and a
    /// digest of that folder before and after each call.
    static func run(
        repo: String, clientName: String, calls: [[String: Any]], outside: String? = nil,
        environment: [String: String] = [:]
    ) throws -> (report: Report, stderr: String) {
        guard FileManager.default.isExecutableFile(atPath: python) else { throw NotInstalled() }
        let folder = try Scratch("mcp-client")
        var env = ["HOME": ReverieBinary.emptyHome]
        for (key, value) in environment { env[key] = value }
        var script: [String: Any] = [
            "command": ReverieBinary.path, "args": ["-C", repo, "mcp", "--log-level", "debug"], "env": env,
            "client_name": clientName, "calls": calls,
        ]
        if let outside { script["observe"] = ["repo": repo, "outside": outside] }
        let scriptPath = folder.url("script.json")
        try JSONSerialization.data(withJSONObject: script).write(to: URL(fileURLWithPath: scriptPath))
        let result = try Shell.run(python, [ReverieBinary.projectRoot + "/Tests/Fixtures/mcp_client.py", scriptPath])
        guard result.status == 0 else { throw Shell.Failure(command: "mcp_client.py", result: result) }
        do {
            return (try JSONDecoder().decode(Report.self, from: Data(result.stdout.utf8)), result.stderr)
        } catch {
            throw Shell.Failure(command: "mcp_client.py (its report does not decode: \(error))", result: result)
        }
    }

    /// One call of the memory tool.
    static func memory(_ arguments: [String: Any]) -> [String: Any] {
        ["tool": "memory", "arguments": arguments]
    }
}
