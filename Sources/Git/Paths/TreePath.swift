/// The rules every path Reverie writes, and every tree entry a move of `main` brings to
/// disk, must pass: one set, whoever proposes the path (a consolidator, a transcript, a
/// command line, a dream branch someone pushed).
///
/// A path is relative to the repository root, uses `/` between components, never climbs
/// out with `..` and never names `.git` in any spelling a file system or git itself takes
/// for it (docs/architecture.md).
public enum TreePath {
    /// The folders above `path`, nearest the root first: `a/b/c.md` gives `a`, `a/b`.
    public static func folders(above path: String) -> [Substring] {
        path.indices.filter { path[$0] == "/" }.map { path[..<$0] }
    }

    /// Throws `GitError.invalidPath` naming what is wrong with `path`.
    public static func validate(_ path: String) throws(GitError) {
        func reject(_ reason: String) throws(GitError) -> Never {
            throw .invalidPath(path: path, reason: reason)
        }
        if path.isEmpty { try reject("it is empty") }
        if path.hasPrefix("/") { try reject("absolute paths are not allowed; use a path relative to the repository") }
        for component in path.split(separator: "/", omittingEmptySubsequences: false) {
            if component.isEmpty { try reject("it has an empty component (a leading, trailing or double '/')") }
            if let reason = problem(withName: component) { try reject(reason) }
        }
    }

    /// Throws when `name`, one entry of a tree, could not be written as it stands: what a
    /// crafted tree may hold that no path can spell (a `/` inside a name, an empty name).
    public static func validate(name: Substring, at path: String) throws(GitError) {
        if name.isEmpty { throw .invalidPath(path: path, reason: "a tree entry has an empty name") }
        if name.contains("/") { throw .invalidPath(path: path, reason: "a tree entry's name contains '/'") }
        if let reason = problem(withName: name) { throw .invalidPath(path: path, reason: reason) }
    }

    /// Why one component cannot be written, or nil. Follows git's own `verify_path`
    /// with both `core.protectNTFS` and `core.protectHFS` on, as a clone on Windows or
    /// macOS would: a name that means `.git` there is refused here too.
    static func problem(withName name: Substring) -> String? {
        if name.utf8.contains(0) { return "it contains a NUL byte" }
        if name == "." || name == ".." { return "'.' and '..' are not allowed" }
        if name.lowercased() == ".git" { return "it reaches into .git" }
        if isNTFSDotGit(name) { return "'\(name)' names .git on Windows file systems" }
        if isHFSDotGit(name) { return "'\(name)' names .git on macOS file systems" }
        return nil
    }

    /// `.git` or its 8.3 short name `git~1`, in any case, followed only by dots and
    /// spaces (which NTFS drops) up to the end, a backslash or an alternate data stream's
    /// `:`; git's `is_ntfs_dotgit`.
    static func isNTFSDotGit(_ name: Substring) -> Bool {
        let bytes = Array(name.utf8)
        let lowered = bytes.map { (0x41...0x5A).contains($0) ? $0 | 0x20 : $0 }
        let rest: ArraySlice<UInt8>
        if lowered.starts(with: Array(".git".utf8)) {
            rest = bytes.dropFirst(4)
        } else if lowered.starts(with: Array("git~1".utf8)) {
            rest = bytes.dropFirst(5)
        } else {
            return false
        }
        for byte in rest {
            if byte == UInt8(ascii: "\\") || byte == UInt8(ascii: ":") { return true }
            if byte != UInt8(ascii: ".") && byte != UInt8(ascii: " ") { return false }
        }
        return true
    }

    /// `.git` once HFS+ drops the Unicode code points it ignores (joiners, direction
    /// marks, the byte-order mark) and folds case; git's `is_hfs_dotgit`.
    static func isHFSDotGit(_ name: Substring) -> Bool {
        let ignorable: [ClosedRange<UInt32>] = [0x200C...0x200F, 0x202A...0x202E, 0x206A...0x206F, 0xFEFF...0xFEFF]
        let kept = name.unicodeScalars.filter { scalar in !ignorable.contains { $0.contains(scalar.value) } }
        guard kept.count != name.unicodeScalars.count else { return false }  // plain `.git` is caught above
        return String(String.UnicodeScalarView(kept)).lowercased() == ".git"
    }
}
