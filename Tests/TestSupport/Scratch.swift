import Foundation

/// A temporary folder for one test, removed when the test is done with it.
public final class Scratch: @unchecked Sendable {
    public let path: String

    public init(_ name: String = "reverie-test") throws {
        let base = FileManager.default.temporaryDirectory.path
        path = "\(base)/\(name)-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit {
        try? FileManager.default.removeItem(atPath: path)
    }

    /// An absolute path inside the folder.
    public func url(_ relative: String) -> String { "\(path)/\(relative)" }

    /// Writes a text file, making folders as needed.
    public func write(_ relative: String, _ text: String) throws {
        let full = url(relative)
        try FileManager.default.createDirectory(
            atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try Data(text.utf8).write(to: URL(fileURLWithPath: full))
    }

    public func read(_ relative: String) throws -> String {
        try String(contentsOfFile: url(relative), encoding: .utf8)
    }

    public func exists(_ relative: String) -> Bool {
        FileManager.default.fileExists(atPath: url(relative))
    }

    public func remove(_ relative: String) throws {
        try FileManager.default.removeItem(atPath: url(relative))
    }

    /// Runs the git CLI in this folder and returns its standard output; throws on failure.
    @discardableResult
    public func git(_ arguments: String...) throws -> String {
        try Shell.check("git", arguments, in: path)
    }

    /// Runs the git CLI and returns its whole result, for commands expected to fail.
    public func gitResult(_ arguments: String...) throws -> Shell.Result {
        try Shell.run("git", arguments, in: path)
    }

    /// What `git fsck --strict` finds wrong: empty when the repository is sound, as every
    /// test that writes must leave it. Dangling objects are normal and not reported.
    public func fsck() throws -> String {
        let result = try Shell.run("git", ["fsck", "--strict", "--no-dangling", "--no-progress"], in: path)
        return result.status == 0 && result.stdout.isEmpty ? "" : result.stdout + result.stderr
    }

    /// Commit subjects on a revision, newest first.
    public func subjects(_ revision: String = "main") throws -> [String] {
        try git("log", "--format=%s", revision).split(separator: "\n").map(String.init)
    }
}
