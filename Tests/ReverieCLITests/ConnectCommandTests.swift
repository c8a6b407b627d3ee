import Foundation
import TestSupport
import Testing

@Suite struct ConnectCommandTests {
    @Test func connectWritesItsBlockOnceAndRemoveRestoresThePersonsFilesByteForByte() throws {
        let memory = try Scratch("memory")
        #expect(try ReverieBinary.run(["init", memory.path]).status == 0)
        let project = try Scratch("project")
        try project.git("init", "-q")
        let claude = "# Shop\n\nRun `make check` before pushing — always.", agents = "# Agents\r\n\r\nBe brief.\r\n"
        try project.write("CLAUDE.md", claude)
        try project.write("AGENTS.md", agents)
        let servers =
            "{\n  \"mcpServers\": {\n    \"github\": { \"command\": \"gh-mcp\" }\n  },\n  \"note\": \"mine\"\n}"
        try project.write(".mcp.json", servers)
        func connect(_ arguments: String...) throws -> String {
            let result = try ReverieBinary.run(["-C", memory.path, "connect"] + arguments, in: project.path)
            #expect(result.status == 0, "\(arguments): \(result.stderr)")
            return result.stdout
        }
        let dry = try connect("claude-code", "--dry-run")
        #expect(
            dry.contains("Would change \(project.path)/CLAUDE.md:") && dry.contains("+ @\(memory.path)/MEMORY.md"),
            "\(dry)")
        #expect(try project.read("CLAUDE.md") == claude)

        _ = try connect("claude-code")
        _ = try connect("codex", "--project", project.path)
        let connected = try project.read("CLAUDE.md")
        #expect(
            connected.hasPrefix(claude + "\n<!-- reverie:begin") && connected.contains("\n@\(memory.path)/MEMORY.md\n"))
        #expect(
            try project.read("AGENTS.md").hasPrefix(agents)
                && project.read("AGENTS.md").contains("\(memory.path)/MEMORY.md"))
        let mcp = try #require(
            try JSONSerialization.jsonObject(with: Data(project.read(".mcp.json").utf8)) as? [String: Any])
        let entries = try #require(mcp["mcpServers"] as? [String: [String: Any]])
        #expect(entries["github"]?["command"] as? String == "gh-mcp" && mcp["note"] as? String == "mine")
        #expect(entries["reverie"]?["args"] as? [String] == ["-C", memory.path, "mcp"])
        #expect(
            (entries["reverie"]?["command"] as? String).map { FileManager.default.isExecutableFile(atPath: $0) } == true
        )
        #expect(try connect("claude-code").contains("already connected"))
        #expect(try project.read("CLAUDE.md") == connected)

        _ = try connect("claude-code", "--remove")
        _ = try connect("codex", "--remove")
        #expect(try project.read("CLAUDE.md") == claude && project.read("AGENTS.md") == agents)
        #expect(try project.read(".mcp.json") == servers)
    }

    @Test func theUsersOwnFilesAreMadeAndTakenAwayWhole() throws {
        let memory = try Scratch("memory")
        #expect(try ReverieBinary.run(["init", memory.path]).status == 0)
        let home = try Scratch("home")
        let run = { (arguments: [String]) in
            try ReverieBinary.run(
                ["-C", memory.path, "connect", "claude-code", "--user"] + arguments, environment: ["HOME": home.path])
        }
        #expect(try run([]).status == 0)
        #expect(try home.read(".claude/CLAUDE.md").contains("@\(memory.path)/MEMORY.md"))
        #expect(try run(["--remove"]).status == 0)
        #expect(!home.exists(".claude/CLAUDE.md"))
    }
}
