import Foundation
import Memory
import TestSupport

/// A memory repo made as `reverie init` makes it, with some memory and an author in its git config,
/// as a person would have it before an agent connects. It lives in `base/memory`, so a test
/// can watch the folder around it (`base`) for anything written outside.
final class MemoryFolder {
    static let author = "Memory Keeper"
    static let email = "keeper@example.com"

    let base: Scratch
    let path: String

    init(files: [String: String] = MemoryFolder.standardFiles) throws {
        base = try Scratch("mcp")
        path = base.path + "/memory"
        _ = try MemoryRepo.initialize(at: path)
        // Commits are authored from git config: the repo's own, so the test knows the name.
        _ = try git("config", "user.name", Self.author)
        _ = try git("config", "user.email", Self.email)
        for (relative, text) in files { try write(relative, text) }
        try commitAll("Test setup")
    }

    static let standardFiles = [
        "python.md": "# Python\n- Run tests with `python -m pytest`, not `pytest`.\n- Use uv for packages.\n",
        "topics/deploy.md": "# Deploy\n- Deploy to staging before production.\n",
        "pinned.md": "---\npinned: true\n---\n# Team rules\n- Never push to main on Fridays.\n",
        "notes.md": "# Notes\n- The CI runs on two cores. <!-- pinned -->\n- Logs go to stderr.\n",
    ]

    @discardableResult
    func git(_ arguments: String...) throws -> String {
        try Shell.check("git", arguments, in: path)
    }

    func commitAll(_ message: String) throws {
        try git("add", "-A")
        try git("commit", "-qm", message)
    }

    /// `git status --porcelain`, untracked files listed one by one.
    func status() throws -> String {
        try git("status", "--porcelain", "--untracked-files=all")
    }

    func main() throws -> String {
        try git("rev-parse", "main").trimmingCharacters(in: .whitespacesAndNewlines)
    }

    func commitCount() throws -> Int {
        Int(try git("rev-list", "--count", "main").trimmingCharacters(in: .whitespacesAndNewlines)) ?? -1
    }

    /// One line per commit, newest first, in git's `--format`.
    func log(_ format: String, count: Int) throws -> [String] {
        try git("log", "-\(count)", "--format=\(format)", "main").split(
            separator: "\n", omittingEmptySubsequences: false
        )
        .map(String.init).filter { !$0.isEmpty }
    }

    /// The whole message of a commit.
    func message(_ revision: String = "main") throws -> String {
        try git("log", "-1", "--format=%B", revision)
    }

    /// The values of one trailer on a commit.
    func trailer(_ key: String, _ revision: String = "main") throws -> [String] {
        try git("log", "-1", "--format=%(trailers:key=\(key),valueonly,separator=%x1F)", revision)
            .trimmingCharacters(in: .newlines).split(separator: "\u{1F}").map(String.init)
    }

    func read(_ relative: String) throws -> String {
        try String(contentsOfFile: path + "/" + relative, encoding: .utf8)
    }

    func write(_ relative: String, _ text: String) throws {
        let full = path + "/" + relative
        try FileManager.default.createDirectory(
            atPath: (full as NSString).deletingLastPathComponent,
            withIntermediateDirectories: true)
        try Data(text.utf8).write(to: URL(fileURLWithPath: full))
    }

    func exists(_ relative: String) -> Bool {
        var info = stat()
        return lstat(path + "/" + relative, &info) == 0
    }

    func link(_ relative: String, to target: String) throws {
        try FileManager.default.createSymbolicLink(atPath: path + "/" + relative, withDestinationPath: target)
    }
}
