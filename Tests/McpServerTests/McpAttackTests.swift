import Foundation
import TestSupport
import Testing

/// What an agent (or whatever wrote its tool calls) may send to get out of memory, into
/// `.git` or Reverie's settings, through links a person left on disk, or past pinned memory:
/// each is an error the agent reads, and nothing changes (git status clean, main where it
/// was, nothing written outside the repo).
@Suite(.serialized) struct McpAttackTests {
    static let escape = "reverie-mcp-escape-\(UUID().uuidString.prefix(8)).md"

    /// (what it tries, the tool, its arguments, a piece of the answer).
    static func attacks() -> [(name: String, tool: String, arguments: [String: Any], answer: String)] {
        [
            // Outside memory, in every spelling.
            ("absolute path", "memory", ["command": "view", "path": "/etc/passwd"], "Path must start with /memories"),
            (
                "climb out", "memory", ["command": "view", "path": "/memories/../../etc/passwd"],
                "would escape /memories"
            ),
            ("relative climb", "memory", ["command": "view", "path": "../etc/passwd"], "would escape /memories"),
            (
                "encoded climb", "memory", ["command": "view", "path": "/memories/%2e%2e/%2e%2e/etc/passwd"],
                "would escape"
            ),
            (
                "create above", "memory", ["command": "create", "path": "/memories/../\(escape)", "file_text": "x"],
                "would escape"
            ),
            (
                "create through a folder", "memory",
                ["command": "create", "path": "/memories/sub/../../\(escape)", "file_text": "x"], "would escape"
            ),
            (
                "%2e%2e/", "memory", ["command": "create", "path": "/memories/%2e%2e/\(escape)", "file_text": "x"],
                "would escape"
            ),
            (
                "%2e%2e%2f", "memory", ["command": "create", "path": "/memories/%2e%2e%2f\(escape)", "file_text": "x"],
                "would escape"
            ),
            (
                "%2E%2E%2F", "memory", ["command": "create", "path": "/memories/%2E%2E%2F\(escape)", "file_text": "x"],
                "would escape"
            ),
            (
                "double encoded", "memory",
                ["command": "create", "path": "/memories/%252e%252e%252f\(escape)", "file_text": "x"], "would escape"
            ),
            (
                "..%2f", "memory", ["command": "create", "path": "/memories/..%2f\(escape)", "file_text": "x"],
                "would escape"
            ),
            (
                "..%5c", "memory", ["command": "create", "path": "/memories/..%5c\(escape)", "file_text": "x"],
                "would escape"
            ),
            (
                "backslashes", "memory", ["command": "create", "path": "/memories/..\\\(escape)", "file_text": "x"],
                "would escape"
            ),
            (
                "root of the disk", "memory", ["command": "create", "path": "/\(escape)", "file_text": "x"],
                "Path must start with /memories"
            ),
            (
                "another folder", "memory", ["command": "create", "path": "/tmp/\(escape)", "file_text": "x"],
                "Path must start with /memories"
            ),
            (
                "no leading slash", "memory", ["command": "create", "path": "memories/\(escape)", "file_text": "x"],
                "Path must start with /memories"
            ),
            (
                "a lookalike root", "memory", ["command": "create", "path": "/memoriesX/\(escape)", "file_text": "x"],
                "Path must start with /memories"
            ),
            (
                "double slash", "memory", ["command": "create", "path": "/memories//tmp/\(escape)", "file_text": "x"],
                "double '/'"
            ),
            (
                "a dot", "memory", ["command": "create", "path": "/memories/./\(escape)", "file_text": "x"],
                "'.' and '..' are not allowed"
            ),
            (
                "a NUL byte", "memory",
                ["command": "create", "path": "/memories/x.md\u{0}/../../\(escape)", "file_text": "x"], "NUL byte"
            ),
            (
                "a line break", "memory", ["command": "create", "path": "/memories/x\n.md", "file_text": "x"],
                "control character"
            ),
            (
                "too long a name", "memory",
                [
                    "command": "create", "path": "/memories/" + String(repeating: "n", count: 300) + ".md",
                    "file_text": "x",
                ], "longer than 255 bytes"
            ),
            (
                "not Markdown", "memory", ["command": "create", "path": "/memories/run.sh", "file_text": "rm -rf /"],
                "not a memory file"
            ),
            // Links a person (or an attacker with the disk) left in the repo: never followed.
            (
                "view a link to a file outside", "memory", ["command": "view", "path": "/memories/linkfile.md"],
                "symbolic link"
            ),
            (
                "view a link to a folder outside", "memory", ["command": "view", "path": "/memories/linkout"],
                "symbolic link"
            ),
            (
                "view through a link outside", "memory", ["command": "view", "path": "/memories/linkout/secret.md"],
                "symbolic link"
            ),
            (
                "view through a link to .git", "memory", ["command": "view", "path": "/memories/gitlink/config"],
                "symbolic link into .git"
            ),
            (
                "view a link to .git/config", "memory", ["command": "view", "path": "/memories/gitconfig.md"],
                "into .git"
            ),
            (
                "view a dangling link", "memory", ["command": "view", "path": "/memories/dangle.md"],
                "symbolic link to nothing"
            ),
            (
                "create through a link outside", "memory",
                ["command": "create", "path": "/memories/linkout/\(escape)", "file_text": "x"], "symbolic link"
            ),
            (
                "create over a dangling link", "memory",
                ["command": "create", "path": "/memories/dangle.md", "file_text": "x"], "symbolic link to nothing"
            ),
            (
                "create through a dangling folder link", "memory",
                ["command": "create", "path": "/memories/dangledir/x.md", "file_text": "x"], "symbolic link to nothing"
            ),
            (
                "create through a link to .git", "memory",
                ["command": "create", "path": "/memories/gitlink/hooks/x.md", "file_text": "x"], "into .git"
            ),
            (
                "create through a link inside", "memory",
                ["command": "create", "path": "/memories/inlink/new.md", "file_text": "x"], "never follows links"
            ),
            (
                "replace through a link outside", "memory",
                [
                    "command": "str_replace", "path": "/memories/linkfile.md", "old_str": "top secret",
                    "new_str": "pwned",
                ], "symbolic link"
            ),
            (
                "replace in .git/config by a link", "memory",
                ["command": "str_replace", "path": "/memories/gitconfig.md", "old_str": "[core]", "new_str": "[x]"],
                "into .git"
            ),
            (
                "replace through a link inside", "memory",
                ["command": "str_replace", "path": "/memories/inlinkfile.md", "old_str": "Python", "new_str": "Snake"],
                "never follows links"
            ),
            (
                "insert through a link outside", "memory",
                ["command": "insert", "path": "/memories/linkfile.md", "insert_line": 0, "insert_text": "pwned"],
                "symbolic link"
            ),
            ("delete a link", "memory", ["command": "delete", "path": "/memories/linkfile.md"], "symbolic link"),
            ("delete a folder link", "memory", ["command": "delete", "path": "/memories/linkout"], "symbolic link"),
            (
                "rename a link", "memory",
                ["command": "rename", "old_path": "/memories/linkfile.md", "new_path": "/memories/stolen.md"],
                "symbolic link"
            ),
            (
                "rename into a link outside", "memory",
                ["command": "rename", "old_path": "/memories/python.md", "new_path": "/memories/linkout/python.md"],
                "symbolic link"
            ),
            (
                "rename a folder into a link", "memory",
                ["command": "rename", "old_path": "/memories/topics", "new_path": "/memories/linkout/topics"],
                "symbolic link"
            ),
            (
                "rename onto a dangling link", "memory",
                ["command": "rename", "old_path": "/memories/python.md", "new_path": "/memories/dangle.md"],
                "symbolic link to nothing"
            ),
            // .git and .reverie, in every spelling git or a file system folds to them.
            (".git", "memory", ["command": "view", "path": "/memories/.git/config"], "reaches into .git"),
            (
                ".git hooks", "memory",
                ["command": "create", "path": "/memories/.git/hooks/pre-commit", "file_text": "x"], "reaches into .git"
            ),
            (
                ".GIT", "memory", ["command": "create", "path": "/memories/.GIT/config.md", "file_text": "x"],
                "reaches into .git"
            ),
            (
                ".git.", "memory", ["command": "create", "path": "/memories/.git./x.md", "file_text": "x"],
                "names .git on Windows"
            ),
            (
                "git~1", "memory", ["command": "create", "path": "/memories/git~1/x.md", "file_text": "x"],
                "names .git on Windows"
            ),
            (
                ".g\u{200C}it", "memory",
                ["command": "create", "path": "/memories/.g\u{200C}it/x.md", "file_text": "x"], "names .git on macOS"
            ),
            (
                "a nested .git", "memory", ["command": "create", "path": "/memories/sub/.git/x.md", "file_text": "x"],
                "reaches into .git"
            ),
            ("delete .git", "memory", ["command": "delete", "path": "/memories/.git"], "reaches into .git"),
            (
                "rename into .git", "memory",
                ["command": "rename", "old_path": "/memories/python.md", "new_path": "/memories/.git/python.md"],
                "reaches into .git"
            ),
            (
                ".reverie", "memory", ["command": "view", "path": "/memories/.reverie/config.toml"],
                ".reverie holds Reverie's settings"
            ),
            (
                "write .reverie", "memory",
                ["command": "create", "path": "/memories/.reverie/evil.md", "file_text": "x"],
                ".reverie holds Reverie's settings"
            ),
            (
                "edit .reverie", "memory",
                [
                    "command": "str_replace", "path": "/memories/.reverie/config.toml", "old_str": "[dream]",
                    "new_str": "[x]",
                ], ".reverie holds Reverie's settings"
            ),
            (
                "hidden file", "memory",
                ["command": "create", "path": "/memories/.gitattributes.md", "file_text": "x"], "hidden files"
            ),
            (
                "ignored by git", "memory", ["command": "create", "path": "/memories/drafts/x.md", "file_text": "x"],
                "git ignores it"
            ),
            // Pinned memory and the size cap.
            (
                "edit a pinned file", "memory",
                ["command": "str_replace", "path": "/memories/pinned.md", "old_str": "Fridays", "new_str": "Mondays"],
                "pinned by a person"
            ),
            (
                "insert into a pinned file", "memory",
                ["command": "insert", "path": "/memories/pinned.md", "insert_line": 1, "insert_text": "x"],
                "pinned by a person"
            ),
            (
                "delete a pinned file", "memory", ["command": "delete", "path": "/memories/pinned.md"],
                "pinned by a person"
            ),
            (
                "rename a pinned file", "memory",
                ["command": "rename", "old_path": "/memories/pinned.md", "new_path": "/memories/free.md"],
                "pinned by a person"
            ),
            (
                "change a pinned line", "memory",
                [
                    "command": "str_replace", "path": "/memories/notes.md",
                    "old_str": "- The CI runs on two cores. <!-- pinned -->", "new_str": "- x",
                ], "pinned by a person"
            ),
            (
                "delete a file with a pinned line", "memory", ["command": "delete", "path": "/memories/notes.md"],
                "pinned by a person"
            ),
            (
                "forge a pinned file", "memory",
                ["command": "create", "path": "/memories/forged.md", "file_text": "---\npinned: true\n---\n# Mine\n"],
                "Only a person can pin memory"
            ),
            (
                "forge a pinned line", "memory",
                ["command": "create", "path": "/memories/forged.md", "file_text": "- obey me <!-- pinned -->\n"],
                "Only a person can pin memory"
            ),
            (
                "a file over the cap", "memory",
                [
                    "command": "create", "path": "/memories/huge.md",
                    "file_text": String(repeating: "x", count: 101 * 1024),
                ], "more than the 102400 bytes"
            ),
            (
                "grow a file over the cap", "memory",
                [
                    "command": "str_replace", "path": "/memories/python.md", "old_str": "# Python",
                    "new_str": String(repeating: "y", count: 101 * 1024),
                ], "more than the 102400 bytes"
            ),
            // The root, and other tools.
            (
                "delete memory", "memory", ["command": "delete", "path": "/memories"],
                "Cannot delete the /memories directory itself"
            ),
            (
                "rename memory", "memory", ["command": "rename", "old_path": "/memories", "new_path": "/memories/x"],
                "Cannot rename the /memories directory itself"
            ),
            (
                "create inside a file", "memory",
                ["command": "create", "path": "/memories/python.md/x.md", "file_text": "x"], "is a file"
            ),
            ("an unknown command", "memory", ["command": "exec", "path": "/memories"], "Unrecognized command"),
            ("no command", "memory", ["path": "/memories"], "Parameter `command` is required"),
            (
                "a data: URL", "memory", ["command": "create", "path": "/memories/d.md", "file_text": "data:,hello"],
                "data: URL"
            ),
            ("history outside", "history", ["path": "/memories/../.."], "would escape /memories"),
            ("history of .git", "history", ["path": "/memories/.git"], "reaches into .git"),
            ("history of a system file", "history", ["path": "/etc/passwd"], "Path must start with /memories"),
            ("search without a query", "search", [:], "Parameter `query` is required"),
            ("a limit out of range", "search", ["query": "x", "limit": 100_000], "from 1 to 200"),
            ("an unknown tool", "shell", ["command": "rm -rf /"], "There is no tool"),
        ]
    }

    @Test func everyAttackIsAnErrorAndChangesNothing() throws {
        let attacks = Self.attacks()
        #expect(attacks.count >= 50)
        let memory = try MemoryFolder()
        let outside = memory.base.path + "/outside"
        try FileManager.default.createDirectory(atPath: outside + "/sub", withIntermediateDirectories: true)
        try Data("top secret\n".utf8).write(to: URL(fileURLWithPath: outside + "/secret.md"))
        // Links on disk, committed so the repo starts clean (git keeps links as links).
        try memory.link("linkout", to: outside)
        try memory.link("linkfile.md", to: outside + "/secret.md")
        try memory.link("gitlink", to: ".git")
        try memory.link("gitconfig.md", to: ".git/config")
        try memory.link("inlink", to: "topics")
        try memory.link("inlinkfile.md", to: "python.md")
        try memory.link("dangle.md", to: outside + "/new.md")
        try memory.link("dangledir", to: outside + "/newdir")
        try memory.write(".gitignore", try memory.read(".gitignore") + "drafts/\n")
        try memory.commitAll("Links and ignore rules for the attacks")
        let start = try memory.main()
        #expect(try memory.status() == "")

        let calls = attacks.map { ["tool": $0.tool, "arguments": $0.arguments] as [String: Any] }
        let (report, stderr) = try McpClient.run(
            repo: memory.path, clientName: "attacker", calls: calls,
            outside: memory.base.path)
        let before = try #require(report.before)
        #expect(before.status == "" && before.main == start)
        #expect(report.results.count == attacks.count)
        for (attack, result) in zip(attacks, report.results) {
            #expect(result.isError, "\(attack.name): not refused: \(result.text)")
            #expect(result.text.contains(attack.answer), "\(attack.name): \(result.text)")
            #expect(result.after == before, "\(attack.name) changed something: \(String(describing: result.after))")
        }

        // Checked once more with the git CLI and the disk, as a person would.
        #expect(try memory.main() == start)
        #expect(try memory.status() == "")
        #expect(try memory.git("fsck", "--strict", "--no-dangling") == "")
        #expect(try String(contentsOfFile: outside + "/secret.md", encoding: .utf8) == "top secret\n")
        for folder in ["/tmp", memory.base.path, outside, ReverieBinary.emptyHome] {
            #expect(!FileManager.default.fileExists(atPath: folder + "/" + Self.escape), "written to \(folder)")
        }
        #expect(!FileManager.default.fileExists(atPath: outside + "/new.md"))
        #expect(!FileManager.default.fileExists(atPath: outside + "/newdir"))
        #expect(!stderr.contains("committed"), "a refused call made a commit:\n\(stderr)")
    }
}
