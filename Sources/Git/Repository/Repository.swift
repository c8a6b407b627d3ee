import CLibGit2
import Foundation

/// A git repository opened through libgit2.
///
/// libgit2 objects may be used from one thread at a time, so a `Repository` is deliberately
/// not `Sendable`: a long-lived owner (the daemon) keeps it inside one actor, a command uses
/// it on its own thread.
public final class Repository {
    let handle: Handle<RepositoryKind>
    var pointer: OpaquePointer { handle.pointer }

    /// The working tree, absolute, without a trailing slash.
    public let workingDirectory: String
    /// The `.git` directory, absolute, without a trailing slash.
    public let gitDirectory: String
    /// How long to wait for locks held by other git processes.
    public var retryPolicy: RetryPolicy = .standard
    /// The index on a handle of its own: opened when first needed (or read on the other
    /// core after `prefetchIndex()`), then kept for the next use.
    private var indexState: IndexState = .unopened

    private enum IndexState {
        case unopened
        case reading(Background<IndexHandle>)
        case ready(IndexHandle)
    }

    /// The branch that holds memory.
    public static let mainBranch = "main"
    /// The full name of `main`'s ref.
    public static let mainReference = "refs/heads/main"

    private init(_ pointer: OpaquePointer) throws(GitError) {
        handle = Handle(pointer)
        guard let workdir = git_repository_workdir(pointer) else {
            throw .bareRepository(path: Self.trimmed(String(cString: git_repository_path(pointer))))
        }
        workingDirectory = Self.trimmed(String(cString: workdir))
        gitDirectory = Self.trimmed(String(cString: git_repository_path(pointer)))
        try LibGit2.fsyncObjects(of: pointer)
        LibGit2.openReferencesUnsynced(of: pointer)
    }

    private static func trimmed(_ path: String) -> String {
        path.count > 1 && path.hasSuffix("/") ? String(path.dropLast()) : path
    }

    /// Creates a repository at `path` (and the folder, if missing) whose first branch is `main`.
    public static func create(at path: String) throws(GitError) -> Repository {
        LibGit2.ready
        var options = git_repository_init_options()
        try LibGit2.check(
            git_repository_init_options_init(&options, UInt32(GIT_REPOSITORY_INIT_OPTIONS_VERSION)),
            "prepare repository options")
        options.flags = GIT_REPOSITORY_INIT_MKPATH.rawValue | GIT_REPOSITORY_INIT_NO_REINIT.rawValue
        var out: OpaquePointer?
        let code = LibGit2.withFsyncSwitchSettled {
            mainReference.withCString { head in
                options.initial_head = head
                return git_repository_init_ext(&out, path, &options)
            }
        }
        try LibGit2.check(code, "create repository at \(path)")
        return try Repository(out!)
    }

    /// Opens the repository whose working tree is exactly `path`.
    public static func open(at path: String) throws(GitError) -> Repository {
        LibGit2.ready
        var out: OpaquePointer?
        let code = git_repository_open_ext(&out, path, GIT_REPOSITORY_OPEN_NO_SEARCH.rawValue, nil)
        if code == GIT_ENOTFOUND.rawValue { throw .notARepository(path: path) }
        try LibGit2.check(code, path)
        return try Repository(out!)
    }

    /// Opens the repository around `path`: the folder itself or its nearest parent that is one.
    public static func discover(from path: String) throws(GitError) -> Repository {
        LibGit2.ready
        var out: OpaquePointer?
        let code = git_repository_open_ext(&out, path, 0, nil)
        if code == GIT_ENOTFOUND.rawValue { throw .notARepository(path: path) }
        try LibGit2.check(code, path)
        return try Repository(out!)
    }

    // MARK: - Index

    /// Starts reading `.git/index` on the other core, for an operation that will need it
    /// (moving `main` updates it) and has other work to do first. Until it is read, the
    /// files the move touches are checked by their content instead of the index's stat
    /// data, so the read only has to be done by the time `main` has moved.
    public func prefetchIndex() {
        let directory = workingDirectory
        switch indexState {
        case .unopened:
            indexState = .reading(
                Background { () throws(GitError) in
                    let handle = try IndexHandle(workingDirectory: directory)
                    try handle.refresh()
                    return handle
                })
        case .ready(let handle):
            indexState = .reading(
                Background { () throws(GitError) in
                    try handle.refresh()
                    return handle
                })
        case .reading:
            break
        }
    }

    /// The index, as the file on disk holds it now.
    func index() throws(GitError) -> IndexHandle {
        let handle: IndexHandle
        switch indexState {
        case .unopened:
            handle = try IndexHandle(workingDirectory: workingDirectory)
        case .reading(let reading):
            indexState = .unopened  // a failed read is not kept
            handle = try reading.wait()
        case .ready(let ready):
            handle = ready
        }
        indexState = .ready(handle)
        try handle.refresh()
        return handle
    }

    /// The index when it can be had without waiting for it: read already (and re-read if
    /// the file changed since), not still being read on the other core. Moving `main`
    /// checks files with it when it has it, and hashes them when not.
    func indexIfReady() throws(GitError) -> IndexHandle? {
        guard case .ready = indexState else { return nil }
        return try index()
    }

    // MARK: - State

    /// Where `HEAD` points.
    public enum Head: Equatable, Sendable {
        /// On a branch that has commits.
        case branch(String, ObjectID)
        /// On a branch that has no commit yet.
        case unborn(String)
        /// On a commit, not a branch.
        case detached(ObjectID)

        /// The branch name, when HEAD is on one.
        public var branchName: String? {
            switch self {
            case .branch(let name, _), .unborn(let name): name
            case .detached: nil
            }
        }

        /// The branch's name, or which commit a detached HEAD is at.
        public var description: String {
            switch self {
            case .branch(let name, _), .unborn(let name): name
            case .detached(let id): "a detached HEAD at \(id.short)"
            }
        }
    }

    /// Where HEAD is: on a branch (born or not) or detached.
    public func head() throws(GitError) -> Head {
        var out: OpaquePointer?
        try LibGit2.check(git_reference_lookup(&out, pointer, "HEAD"), "read HEAD")
        let head = GitReference(out!)
        guard git_reference_type(head.pointer) == GIT_REFERENCE_SYMBOLIC else {
            return .detached(ObjectID(git_reference_target(head.pointer)))
        }
        let target = String(cString: git_reference_symbolic_target(head.pointer))
        let name = target.hasPrefix("refs/heads/") ? String(target.dropFirst(11)) : target
        if let tip = try tip(ofReference: target) {
            return .branch(name, tip)
        }
        return .unborn(name)
    }

    /// Points `HEAD` at a branch that has no commits yet (adopting a fresh `git init`).
    public func setUnbornHead(branch: String) throws(GitError) {
        try LibGit2.check(
            git_repository_set_head(pointer, "refs/heads/\(branch)"),
            "point HEAD at \(branch)")
    }

    /// The git operation in progress, if any: "merge", "rebase", "cherry-pick", …
    public func operationInProgress() -> String? {
        let state = git_repository_state(pointer)
        switch git_repository_state_t(rawValue: UInt32(state)) {
        case GIT_REPOSITORY_STATE_NONE: return nil
        case GIT_REPOSITORY_STATE_MERGE: return "merge"
        case GIT_REPOSITORY_STATE_REVERT, GIT_REPOSITORY_STATE_REVERT_SEQUENCE: return "revert"
        case GIT_REPOSITORY_STATE_CHERRYPICK, GIT_REPOSITORY_STATE_CHERRYPICK_SEQUENCE:
            return "cherry-pick"
        case GIT_REPOSITORY_STATE_BISECT: return "bisect"
        case GIT_REPOSITORY_STATE_APPLY_MAILBOX, GIT_REPOSITORY_STATE_APPLY_MAILBOX_OR_REBASE:
            return "am"
        default: return "rebase"
        }
    }

    /// Whether another process holds the index lock (a `git add` or `git commit` under way).
    /// True while Reverie moves `main` and the files with it (a dream merge, an approval,
    /// a rollback), or when such a move was cut short and awaits `finishInterruptedAdvance`.
    public var isMovingMain: Bool {
        FileManager.default.fileExists(atPath: AdvanceJournal.path(in: gitDirectory))
    }

    /// Whether someone holds the index lock (`.git/index.lock` exists).
    public var isIndexLocked: Bool {
        FileManager.default.fileExists(atPath: gitDirectory + "/index.lock")
    }

    /// Throws unless `HEAD` is on `main` with no git operation in progress: the working
    /// tree is the person's while they use git, and Reverie stays out of it.
    public func requireMainCheckedOut() throws(GitError) {
        let head = try head()
        guard head.branchName == Self.mainBranch else { throw .headNotMain(head: head.description) }
        if let state = operationInProgress() { throw .operationInProgress(state: state) }
    }

    // MARK: - Objects

    /// The commit a revision names (`main`, `HEAD~2`, a hex id, `dreams/x`, …).
    public func resolve(_ revision: String) throws(GitError) -> ObjectID {
        try lookupCommit(revision).id
    }

    func lookupCommit(_ revision: String) throws(GitError) -> GitCommit {
        var object: OpaquePointer?
        let code = git_revparse_single(&object, pointer, revision)
        if code == GIT_ENOTFOUND.rawValue || code == GIT_EAMBIGUOUS.rawValue
            || code == GIT_EINVALIDSPEC.rawValue
        {
            throw .notFound(what: "revision '\(revision)'")
        }
        try LibGit2.check(code, "resolve \(revision)")
        let resolved = Handle<ObjectKind>(object!)
        var peeled: OpaquePointer?
        let peelCode = git_object_peel(&peeled, resolved.pointer, GIT_OBJECT_COMMIT)
        if peelCode < 0 { throw .notFound(what: "commit '\(revision)'") }
        return GitCommit(peeled!)
    }

    func lookupCommit(_ id: ObjectID) throws(GitError) -> GitCommit {
        var oid = id.oid
        var out: OpaquePointer?
        let code = git_commit_lookup(&out, pointer, &oid)
        if code == GIT_ENOTFOUND.rawValue { throw .notFound(what: "commit \(id.short)") }
        try LibGit2.check(code, "read commit \(id.short)")
        return GitCommit(out!)
    }

    func lookupTree(_ id: ObjectID) throws(GitError) -> GitTree {
        var oid = id.oid
        var out: OpaquePointer?
        try LibGit2.check(git_tree_lookup(&out, pointer, &oid), "read tree \(id.short)")
        return GitTree(out!)
    }

    func tree(of commit: GitCommit) throws(GitError) -> GitTree {
        var out: OpaquePointer?
        try LibGit2.check(git_commit_tree(&out, commit.pointer), "read tree of \(commit.id.short)")
        return GitTree(out!)
    }

    /// The tree a commit records.
    public func treeID(of commit: ObjectID) throws(GitError) -> ObjectID {
        try tree(of: lookupCommit(commit)).id
    }

    /// Whether `ancestor` is `commit` or lies in its history.
    public func isAncestor(_ ancestor: ObjectID, of commit: ObjectID) throws(GitError) -> Bool {
        if ancestor == commit { return true }
        var a = commit.oid, b = ancestor.oid
        let code = git_graph_descendant_of(pointer, &a, &b)
        try LibGit2.check(code, "compare history")
        return code == 1
    }

    /// The best common ancestor of two commits, if they share history.
    public func mergeBase(_ a: ObjectID, _ b: ObjectID) throws(GitError) -> ObjectID? {
        var out = git_oid(), one = a.oid, two = b.oid
        let code = git_merge_base(&out, pointer, &one, &two)
        if code == GIT_ENOTFOUND.rawValue { return nil }
        try LibGit2.check(code, "find merge base")
        return ObjectID(out)
    }
}
