/// A failure of a git operation, with what Reverie was doing and what libgit2 said.
///
/// Every libgit2 error code becomes one of these cases, so callers can react to the ones
/// that have a remedy (a lock held by someone else, a conflict, `main` moving) and show the
/// rest to a person as one line. What Reverie itself refuses or finds wrong (a bare
/// repository, a malformed commit, a path or reference it will not write) has a case of
/// its own; `libgit2` is only ever what libgit2 said.
public enum GitError: ReverieError, Equatable, Sendable {
    /// No repository at or above the given path.
    case notARepository(path: String)
    /// A repository without a working tree, where memory files cannot live.
    case bareRepository(path: String)
    /// A revision, path or branch that does not exist.
    case notFound(what: String)
    /// A commit whose raw object git would not have written (no author, a bad parent id).
    case malformedCommit(commit: String, problem: String)
    /// Another process holds a lock file (`index.lock`, `refs/heads/main.lock`) and kept it
    /// longer than Reverie waited.
    case locked(operation: String, message: String)
    /// A reference moved while Reverie was updating it, more often than Reverie retried.
    case referenceMoved(reference: String)
    /// A merge, cherry-pick or revert whose result has conflicts in these paths.
    case conflict(operation: String, paths: [String])
    /// A checkout refused to overwrite files that differ from `HEAD` on disk.
    case workingTreeChanged(paths: [String])
    /// `HEAD` is not on `main`, so Reverie will not touch the working tree.
    case headNotMain(head: String)
    /// A git operation (merge, rebase, cherry-pick, …) is in progress in the repository.
    case operationInProgress(state: String)
    /// A path that is not a plain relative path inside the repository.
    case invalidPath(path: String, reason: String)
    /// A reference Reverie will not write: `main` outside its own moves, or a name git refuses.
    case invalidReference(name: String, reason: String)
    /// A remote URL libgit2 cannot parse.
    case invalidRemoteURL(url: String)
    /// The repository belongs to another user (libgit2's safe.directory check).
    case notOwned(path: String)
    /// A file in `.git` that Reverie keeps could not be written (a full disk, permissions).
    case io(path: String, message: String)
    /// A remote refused who we said we were, or no credentials could be had for it.
    case authentication(url: String, detail: String)
    /// A remote could not be reached or the connection broke off (offline is normal).
    case unreachable(url: String, message: String)
    /// A remote refused to update a reference, or Reverie refused a push that was not a
    /// fast-forward (it never force-pushes).
    case pushRejected(reference: String, reason: String)
    /// Any other libgit2 failure.
    case libgit2(operation: String, code: Int32, message: String)

    /// What went wrong, in git's terms, and what to do about it.
    public var description: String {
        switch self {
        case .notARepository(let path):
            return "\(path) is not inside a git repository; create one there (git init) "
                + "or use the folder that holds one"
        case .bareRepository(let path):
            return "\(path) is a bare repository, with no working tree for memory files; "
                + "clone it (git clone \(path)) and use the clone"
        case .notFound(let what):
            return "\(what) does not exist"
        case .malformedCommit(let commit, let problem):
            return "commit \(commit) is malformed (\(problem)); the repository may be damaged: run git fsck"
        case .locked(let operation, let message):
            return "\(operation): the repository is locked by another git process (\(message)); "
                + "wait for it to finish and try again"
        case .referenceMoved(let reference):
            return "\(reference) kept moving while Reverie updated it; try again"
        case .conflict(let operation, let paths):
            return "\(operation) conflicts in \(Self.list(paths))"
        case .workingTreeChanged(let paths):
            return "uncommitted changes in \(Self.list(paths)) would be overwritten; "
                + "commit them and try again"
        case .headNotMain(let head):
            return "HEAD is on \(head), not main; run `git checkout main` first"
        case .operationInProgress(let state):
            return "a git \(state) is in progress; finish or abort it first"
        case .invalidPath(let path, let reason):
            return "invalid path '\(path)': \(reason)"
        case .invalidReference(let name, let reason):
            return "cannot write reference \(name): \(reason)"
        case .invalidRemoteURL(let url):
            return "\(url) is not a remote URL git understands; use an https, ssh or file URL, or a path"
        case .notOwned(let path):
            return "\(path) is owned by another user; run Reverie as its owner "
                + "or add it to git's safe.directory"
        case .io(let path, let message):
            return "cannot write \(path): \(message); check free space and permissions"
        case .authentication(let url, let detail):
            return "authentication to \(url) failed: \(detail)"
        case .unreachable(let url, let message):
            return "cannot reach \(url): \(message); commits go on locally and sync catches up later"
        case .pushRejected(let reference, let reason):
            return "push of \(reference) refused: \(reason)"
        case .libgit2(let operation, let code, let message):
            return "\(operation) failed: \(message) (libgit2 error \(code))"
        }
    }

    private static func list(_ paths: [String]) -> String {
        let shown = paths.prefix(5).joined(separator: ", ")
        return paths.count > 5 ? "\(shown) and \(paths.count - 5) more" : shown
    }
}
