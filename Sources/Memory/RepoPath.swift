import Foundation
import Git

/// A path inside the memory repo, checked: relative, no `..`, never `.git/`, and never
/// through a symbolic link that leads out of the repo (docs/architecture.md).
public struct RepoPath: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// The path relative to the repo root, with `/` separators.
    public let value: String

    /// Checks the shape of `raw` only; use `resolve(_:in:)` before touching the disk.
    public init(_ raw: String) throws(MemoryError) {
        do {
            try TreePath.validate(raw)
        } catch {
            if case .invalidPath(let path, let reason) = error { throw .invalidPath(path: path, reason: reason) }
            throw .git(error)
        }
        value = raw
    }

    /// Checks `raw` and every folder on the way to it in the working tree at `root`: a
    /// symbolic link may point elsewhere inside the repo, never outside it or into `.git`.
    public static func resolve(_ raw: String, in root: String) throws(MemoryError) -> RepoPath {
        let path = try RepoPath(raw)
        guard let realRoot = realPath(root) else {
            throw .io(path: root, message: "the memory folder does not exist")
        }
        for prefix in TreePath.folders(above: raw).map(String.init) + [raw] {
            let full = "\(root)/\(prefix)"
            var info = stat()
            guard lstat(full, &info) == 0 else { break }  // the rest does not exist yet
            guard (info.st_mode & S_IFMT) == S_IFLNK else { continue }
            guard let target = realPath(full) else {
                throw .invalidPath(path: raw, reason: "'\(prefix)' is a symbolic link to nothing")
            }
            guard target.hasPrefix(realRoot + "/") else {
                throw .invalidPath(path: raw, reason: "'\(prefix)' is a symbolic link that leaves the memory repo")
            }
            let inside = String(target.dropFirst(realRoot.count + 1))
            if inside == ".git" || inside.hasPrefix(".git/") {
                throw .invalidPath(path: raw, reason: "'\(prefix)' is a symbolic link into .git")
            }
        }
        return path
    }

    private static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    /// The last component.
    public var name: String { String(value.split(separator: "/").last ?? "") }
    /// The path as text.
    public var description: String { value }
    /// Orders paths by their text.
    public static func < (lhs: RepoPath, rhs: RepoPath) -> Bool { lhs.value < rhs.value }
}
