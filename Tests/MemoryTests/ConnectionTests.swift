import Foundation
import Memory
import Testing

/// Reverie's part of a person's CLAUDE.md, AGENTS.md or MCP settings goes in and comes
/// out again leaving every other byte as it was.
@Suite struct ConnectionTests {
    static let block = MarkedBlock(
        begin: "<!-- reverie:begin -->", end: "<!-- reverie:end -->", body: "@/srv/memory/MEMORY.md")

    @Test(arguments: [
        "", "# Project\n\nUse tabs.\n", "# Project\n\nNo newline at the end — ünïcode", "\n\n", "a\r\nb\r\n",
    ])
    func aBlockComesOutLeavingThePersonsTextByteForByte(original: String) throws {
        let added = Self.block.added(to: original)
        #expect(added.hasPrefix(original) && added.hasSuffix("<!-- reverie:end -->\n"))
        #expect(Self.block.added(to: added) == added)  // connecting twice changes nothing
        #expect(Self.block.removed(from: added) == original)
        #expect(Self.block.removed(from: original) == nil)
    }

    @Test func aBlockAPersonWroteAroundIsReplacedInPlace() throws {
        let old = MarkedBlock(begin: Self.block.begin, end: Self.block.end, body: "@/old/MEMORY.md")
        let file = "# Top\n" + old.text + "\n## Below, the person's\n"
        let updated = Self.block.added(to: file)
        #expect(updated == "# Top\n" + Self.block.text + "\n## Below, the person's\n")
        #expect(Self.block.removed(from: updated) == "# Top\n## Below, the person's\n")
    }

    static let entry = JSONServerEntry(
        name: "reverie", value: #"{"args":["-C","/srv/memory","mcp"],"command":"/usr/local/bin/reverie"}"#)

    @Test(arguments: [
        "",
        #"{"mcpServers": {"github": {"command": "gh-mcp", "args": []}}}"#,
        "{\n\t\"mcpServers\" : {\n\t\t\"db\" : { \"command\" : \"db-mcp\" }\n\t},\n\t\"other\": [1, {\"mcpServers\": 2}]\n}\n",
        "{ \"mcpServers\": { } }",
        "{\"theme\": \"dark\", \"projects\": {\"/x\": {\"mcpServers\": {}}}}",
        "{}",
    ])
    func aServerEntryComesOutLeavingTheRestByteForByte(original: String) throws {
        let added = try Self.entry.added(to: original)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(added.utf8)) as? [String: Any])
        let servers = try #require(object["mcpServers"] as? [String: Any])
        #expect((servers["reverie"] as? [String: Any])?["command"] as? String == "/usr/local/bin/reverie")
        if !original.isEmpty {
            let before = try #require(try JSONSerialization.jsonObject(with: Data(original.utf8)) as? [String: Any])
            for (key, _) in before where key != "mcpServers" { #expect(object[key] != nil, "\(key) kept") }
            for (name, _) in (before["mcpServers"] as? [String: Any]) ?? [:] {
                #expect(servers[name] != nil, "\(name) kept")
            }
        }
        #expect(try Self.entry.added(to: added) == added)
        #expect(Self.entry.removed(from: added) == original)
    }

    @Test func anotherServerOfTheSameNameOrAFileThatIsNotJSONIsLeftAlone() {
        #expect(throws: JSONServerEntry.Problem.taken) {
            try Self.entry.added(to: #"{"mcpServers": {"reverie": {"command": "someone-elses"}}}"#)
        }
        #expect(throws: JSONServerEntry.Problem.notJSON) { try Self.entry.added(to: "{ not json") }
        #expect(Self.entry.removed(from: #"{"mcpServers": {"reverie": {"command": "someone-elses"}}}"#) == nil)
    }
}
