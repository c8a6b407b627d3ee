import CLibGit2

/// The rules every entry a move of `main` brings to disk passes before anything is
/// written: its path (`TreePath`), its kind (files, and symbolic links only where
/// allowed and only when they stay inside the repository; never a gitlink), and libgit2's
/// own index rules as a second opinion. A tree made with git plumbing, fetched from a
/// remote or written by a model is held to the same rules as a path Reverie writes.
public struct EntryRules: Sendable {
    /// Whether symbolic links may be written: a dream writes text only, while a rollback
    /// brings back what main once had, a person's own links included.
    public enum Links: Sendable {
        case refused
        case insideRepository
    }

    /// Which symbolic links may be written.
    public let links: Links
    /// Why a path may not be written or deleted at all, or nil: the caller's own rules
    /// (a dream may not change Reverie's settings, say).
    public let refusal: @Sendable (String) -> String?

    /// Rules allowing `links`, and refusing the paths `refusal` names a reason for.
    public init(links: Links, refusing refusal: @escaping @Sendable (String) -> String? = { _ in nil }) {
        self.links = links
        self.refusal = refusal
    }

    /// Plain files only.
    public static let textOnly = EntryRules(links: .refused)
    /// What main's own history may hold: a person's links too, as long as they stay inside.
    public static let history = EntryRules(links: .insideRepository)

    /// Throws `GitError.invalidPath` for the first entry of `changes` that may not be
    /// written, naming it and why.
    func check(_ changes: [EntryDiff], in repository: Repository) throws(GitError) {
        var index: OpaquePointer?
        try LibGit2.check(git_index_new(&index), "prepare an index to check paths")
        defer { git_index_free(index) }
        for change in changes {
            if let reason = refusal(change.path) {
                throw .invalidPath(path: change.path, reason: reason)
            }
            guard let entry = change.new else { continue }
            try TreePath.validate(change.path)
            switch entry.mode {
            case GIT_FILEMODE_BLOB, GIT_FILEMODE_BLOB_EXECUTABLE:
                break
            case GIT_FILEMODE_LINK:
                guard links == .insideRepository else {
                    throw .invalidPath(
                        path: change.path, reason: "it is a symbolic link; a dream writes text files only")
                }
                let target = String(decoding: try repository.readBlob(entry.id), as: UTF8.self)
                if let reason = Self.problem(withLink: target, at: change.path) {
                    throw .invalidPath(path: change.path, reason: reason)
                }
            case GIT_FILEMODE_COMMIT:
                throw .invalidPath(path: change.path, reason: "it is a gitlink (a submodule); memory holds files only")
            default:
                throw .invalidPath(
                    path: change.path, reason: "its mode \(String(entry.mode.rawValue, radix: 8)) is not a file's")
            }
            try Self.secondOpinion(on: change.path, entry: entry, index: index)
        }
    }

    /// Why a symbolic link at `path` pointing to `target` may not be written, or nil: it
    /// must be relative and, read from its folder, stay inside the repository and out of
    /// `.git`.
    static func problem(withLink target: String, at path: String) -> String? {
        if target.isEmpty || target.utf8.contains(0) { return "it is a symbolic link with an unusable target" }
        if target.hasPrefix("/") {
            return "it is a symbolic link to an absolute path (\(target)), outside the repository"
        }
        var folders = path.split(separator: "/").dropLast()
        for part in target.split(separator: "/") where part != "." {
            if part == ".." {
                guard !folders.isEmpty else { return "it is a symbolic link to \(target), which leaves the repository" }
                folders.removeLast()
            } else if TreePath.problem(withName: part) != nil {
                return "it is a symbolic link to \(target), which reaches into .git"
            } else {
                folders.append(part)
            }
        }
        return nil
    }

    /// libgit2 refuses to index what git would refuse to check out (`..`, `.git` and its
    /// NTFS spellings, `.gitmodules` as a link): asked for every entry, it catches what
    /// our own rules might miss.
    private static func secondOpinion(on path: String, entry: TreeEntry, index: OpaquePointer?) throws(GitError) {
        var indexEntry = git_index_entry()
        indexEntry.mode = entry.mode.rawValue
        indexEntry.id = entry.id.oid
        let code = path.withCString { cPath in
            indexEntry.path = cPath
            return git_index_add(index, &indexEntry)
        }
        guard code == 0 else {
            let message = git_error_last().map { String(cString: $0.pointee.message) } ?? "refused"
            throw .invalidPath(path: path, reason: "libgit2 refuses it: \(message)")
        }
    }
}
