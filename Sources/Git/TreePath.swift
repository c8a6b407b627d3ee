/// The rules every path Reverie writes into a tree must pass.
///
/// A path is relative to the repository root, uses `/` between components, and never
/// names `.git` or climbs out with `..` — whatever a consolidator, a transcript or a
/// command line proposes (DESIGN.md, invariant 5).
public enum TreePath {
    /// Throws `GitError.invalidPath` naming what is wrong with `path`.
    public static func validate(_ path: String) throws(GitError) {
        func reject(_ reason: String) throws(GitError) -> Never {
            throw .invalidPath(path: path, reason: reason)
        }
        if path.isEmpty { try reject("it is empty") }
        if path.utf8.contains(0) { try reject("it contains a NUL byte") }
        if path.hasPrefix("/") { try reject("absolute paths are not allowed; use a path relative to the repository") }
        for component in path.split(separator: "/", omittingEmptySubsequences: false) {
            switch component {
            case "": try reject("it has an empty component (a leading, trailing or double '/')")
            case ".", "..": try reject("'.' and '..' are not allowed")
            default:
                if component.lowercased() == ".git" { try reject("it reaches into .git") }
            }
        }
    }
}
