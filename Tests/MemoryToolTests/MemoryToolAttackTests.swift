import Foundation
import Memory
import MemoryTool
import Testing

/// Paths a model (or whatever wrote its input) may send to get out of memory, into `.git`
/// or Reverie's settings: each is a tool error, through every command, and nothing changes.
@Suite struct MemoryToolAttackTests {
    static let memory = [
        "a.md": "# A\n",
        ".reverie/config.toml": "[dream]\n",
        ".gitignore": "*.swp\n",
        "team/rules.md": "---\npinned: true\n---\n# Rules\n",
    ]

    /// Each attack with the answer `view` gives it.
    static let attacks: [(path: String, answer: String)] = [
        ("../x.md", "Path ../x.md would escape /memories directory"),
        ("%2e%2e%2f", "Path %2e%2e%2f would escape /memories directory"),
        ("/memories/%2e%2e%2fx.md", "Path /memories/%2e%2e%2fx.md would escape /memories directory"),
        ("/memories/..%2fx.md", "Path /memories/..%2fx.md would escape /memories directory"),
        ("/memories/%2E%2E/x.md", "Path /memories/%2E%2E/x.md would escape /memories directory"),
        ("/memories/%252e%252e/x.md", "Path /memories/%252e%252e/x.md would escape /memories directory"),
        ("/memories/..\\x.md", "Path /memories/..\\x.md would escape /memories directory"),
        ("/memories/a\\..\\..\\x.md", "Path /memories/a\\..\\..\\x.md would escape /memories directory"),
        ("/memories/../x.md", "Path /memories/../x.md would escape /memories directory"),
        ("/memories/..", "Path /memories/.. would escape /memories directory"),
        ("/etc/passwd", "Path must start with /memories, got: /etc/passwd"),
        ("/memoriesx/a.md", "Path must start with /memories, got: /memoriesx/a.md"),
        ("memories/a.md", "Path must start with /memories, got: memories/a.md"),
        ("", "Path must start with /memories, got: "),
        ("/", "Path must start with /memories, got: /"),
        ("/memories/.git/config", "Error: The path /memories/.git/config is not allowed: it reaches into .git."),
        ("/memories/.GIT/hooks/x", "Error: The path /memories/.GIT/hooks/x is not allowed: it reaches into .git."),
        (
            "/memories/topics/.git/x.md",
            "Error: The path /memories/topics/.git/x.md is not allowed: it reaches into .git."
        ),
        (
            "/memories/git~1/config",
            "Error: The path /memories/git~1/config is not allowed: 'git~1' names .git on Windows file systems."
        ),
        (
            "/memories/.git./x.md",
            "Error: The path /memories/.git./x.md is not allowed: '.git.' names .git on Windows file systems."
        ),
        (
            "/memories/.g\u{200C}it/x.md",
            "Error: The path /memories/.g\u{200C}it/x.md is not allowed: '.g\u{200C}it' names .git on macOS file systems."
        ),
        (
            "/memories/.reverie/config.toml",
            "Error: The path /memories/.reverie/config.toml is not allowed: .reverie holds Reverie's settings, not memory."
        ),
        (
            "/memories/.Reverie/x.md",
            "Error: The path /memories/.Reverie/x.md is not allowed: .reverie holds Reverie's settings, not memory."
        ),
        (
            "/memories/.gitignore",
            "Error: The path /memories/.gitignore is not allowed: hidden files and folders (names starting with '.') are not memory."
        ),
        ("/memories/a\u{0}.md", "Error: The path /memories/a\\u{0}.md is not allowed: it contains a NUL byte."),
        (
            "/memories/a.md\u{0}/../../x",
            "Error: The path /memories/a.md\\u{0}/../../x is not allowed: it contains a NUL byte."
        ),
        (
            "/memories/a\n.md",
            "Error: The path /memories/a\\u{a}.md is not allowed: it contains a control character (such as a line break or a tab)."
        ),
        (
            "/memories/a\\b.md",
            "Error: The path /memories/a\\b.md is not allowed: it contains a backslash; separate folders with /."
        ),
        (
            "/memories/%41.md",
            "Error: The path /memories/%41.md is not allowed: it contains percent-encoded characters; write names as they are, not URL-encoded."
        ),
        ("/memories//a.md", "Error: The path /memories//a.md is not allowed: it has a double '/'."),
        (
            "/memories/a//b.md",
            "Error: The path /memories/a//b.md is not allowed: it has an empty component (a leading, trailing or double '/')."
        ),
        ("/memories/./a.md", "Error: The path /memories/./a.md is not allowed: '.' and '..' are not allowed."),
        (
            "/memories/" + String(repeating: "n", count: 256) + ".md",
            "Error: The path /memories/" + String(repeating: "n", count: 190)
                + "… is not allowed: a name in it is longer than 255 bytes."
        ),
        (
            "/memories/" + String(repeating: "d/", count: 600) + "a.md",
            "Error: The path /memories/" + String(repeating: "d/", count: 95)
                + "… is not allowed: it is longer than 1024 bytes."
        ),
    ]

    @Test(arguments: attacks.indices)
    func everyCommandRefusesTheAttack(_ index: Int) {
        let (path, answer) = Self.attacks[index]
        var tool = memoryTool(Self.memory)
        #expect(tool.call(["command": "view", "path": path]) == refused(answer))
        #expect(tool.call(["command": "create", "path": path, "file_text": "owned\n"]) == refused(answer))
        #expect(
            tool.call(["command": "str_replace", "path": path, "old_str": "[dream]", "new_str": "x"]) == refused(answer)
        )
        #expect(
            tool.call(["command": "insert", "path": path, "insert_line": 0, "insert_text": "x"]) == refused(answer))
        #expect(tool.call(["command": "delete", "path": path]) == refused(answer))
        #expect(tool.call(["command": "rename", "old_path": path, "new_path": "/memories/b.md"]) == refused(answer))
        #expect(tool.call(["command": "rename", "old_path": "/memories/a.md", "new_path": path]) == refused(answer))
        #expect(tool.untouched, "\(path)")
    }

    @Test func aNULSentAsJSONIsRefusedToo() {
        var tool = memoryTool(Self.memory)
        #expect(
            tool.run(json: #"{"command": "create", "path": "/memories/a\u0000.md", "file_text": "x"}"#)
                == refused("Error: The path /memories/a\\u{0}.md is not allowed: it contains a NUL byte."))
        #expect(tool.untouched)
    }

    @Test func aFolderMoveCannotCarryFilesIntoHiddenOrOverlongPlaces() {
        var tool = memoryTool(["deep/" + String(repeating: "n", count: 250) + ".md": "x", "a.md": "a"])
        let moved = tool.call([
            "command": "rename", "old_path": "/memories/deep",
            "new_path": "/memories/" + String(repeating: "d/", count: 380) + "x",
        ])
        #expect(moved.isError && moved.text.hasSuffix("is not allowed: it is longer than 1024 bytes."))
        #expect(
            tool.call(["command": "rename", "old_path": "/memories/a.md", "new_path": "/memories/.reverie/a.md"])
                .isError)
        #expect(tool.untouched)
    }

    @Test func nothingOutsideMemoryIsReadThroughTheTool() {
        var tool = memoryTool(Self.memory)
        for path in ["/memories", "/memories/team"] {
            let listing = tool.call(["command": "view", "path": path]).text
            #expect(!listing.contains(".reverie") && !listing.contains(".gitignore"))
        }
    }
}
