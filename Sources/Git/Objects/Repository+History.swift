import CLibGit2
import Foundation

extension Repository {
    /// The history from `revision`, newest first.
    ///
    /// - Parameters:
    ///   - firstParentOnly: follow only first parents, as `git log --first-parent`: on
    ///     `main` that is the story of main itself, with each dream as one merge.
    ///   - limit: at most this many commits.
    ///   - hiding: leave out this commit and everything before it (`git log hiding..revision`).
    public func log(
        from revision: String = Repository.mainBranch, firstParentOnly: Bool = false, limit: Int? = nil,
        hiding: ObjectID? = nil
    ) throws(GitError) -> [CommitInfo] {
        var result: [CommitInfo] = []
        try walk(from: revision, firstParentOnly: firstParentOnly, limit: limit, hiding: hiding) {
            (id) throws(GitError) in
            result.append(try info(of: id))
            return true
        }
        return result
    }

    /// The commits of `revision`'s first-parent history that changed `path` (a file or a
    /// folder; "" for the whole tree), newest first: each compared with its first parent, as
    /// `git log --first-parent -- path` lists them. On `main` a dream shows as its merge.
    public func history(
        of path: String, from revision: String = Repository.mainBranch, limit: Int? = nil
    ) throws(GitError) -> [CommitInfo] {
        if !path.isEmpty { try TreePath.validate(path) }
        var result: [CommitInfo] = []
        // The walk visits each commit's first parent next: keep its entry for that turn.
        var known: (commit: ObjectID, entry: TreeEntry?)?
        func entry(at commit: ObjectID) throws(GitError) -> TreeEntry? {
            if let known, known.commit == commit { return known.entry }
            let tree = try tree(of: lookupCommit(commit))
            return path.isEmpty ? TreeEntry(id: tree.id, mode: GIT_FILEMODE_TREE) : try treeEntry(path, in: tree)
        }
        try walk(from: revision, firstParentOnly: true, limit: nil) { (id) throws(GitError) in
            let commit = try info(of: id)
            let now = try entry(at: id)
            let before = try commit.parents.first.map { parent throws(GitError) in try entry(at: parent) } ?? nil
            if let parent = commit.parents.first { known = (parent, before) }
            if now != before { result.append(commit) }
            return limit.map { result.count < $0 } ?? true
        }
        return result
    }

    /// How many commits `git rev-list --count [--first-parent] revision` would print,
    /// without reading any of them.
    public func commitCount(
        from revision: String = Repository.mainBranch, firstParentOnly: Bool = false
    ) throws(GitError) -> Int {
        var count = 0
        try walk(from: revision, firstParentOnly: firstParentOnly, limit: nil) { _ in
            count += 1
            return true
        }
        return count
    }

    /// Calls `body` with each commit id from `revision`, newest first, until it returns false.
    private func walk(
        from revision: String, firstParentOnly: Bool, limit: Int?, hiding: ObjectID? = nil,
        _ body: (ObjectID) throws(GitError) -> Bool
    ) throws(GitError) {
        let start = try lookupCommit(revision)
        var out: OpaquePointer?
        try LibGit2.check(git_revwalk_new(&out, pointer), "walk history")
        let walk = GitRevwalk(out!)
        try LibGit2.check(
            git_revwalk_sorting(walk.pointer, GIT_SORT_TOPOLOGICAL.rawValue | GIT_SORT_TIME.rawValue),
            "sort history")
        if firstParentOnly { try LibGit2.check(git_revwalk_simplify_first_parent(walk.pointer), "walk history") }
        var startID = start.id.oid
        try LibGit2.check(git_revwalk_push(walk.pointer, &startID), "walk history")
        if var hidden = hiding?.oid { try LibGit2.check(git_revwalk_hide(walk.pointer, &hidden), "walk history") }
        var oid = git_oid()
        var seen = 0
        while limit.map({ seen < $0 }) ?? true {
            let code = git_revwalk_next(&oid, walk.pointer)
            if code == GIT_ITEROVER.rawValue { break }
            try LibGit2.check(code, "walk history")
            guard try body(ObjectID(oid)) else { break }
            seen += 1
        }
    }

    /// One commit, described.
    public func commitInfo(_ revision: String) throws(GitError) -> CommitInfo {
        try info(of: lookupCommit(revision).id)
    }

    /// One commit, described, by its id.
    public func commitInfo(_ id: ObjectID) throws(GitError) -> CommitInfo {
        try info(of: id)
    }

    /// A commit read from its raw object, which stays cached for history walks (see
    /// `CommitInfo.init(id:raw:)`).
    private func info(of id: ObjectID) throws(GitError) -> CommitInfo {
        var database: OpaquePointer?
        try LibGit2.check(git_repository_odb(&database, pointer), "open the object database")
        defer { git_odb_free(database) }
        var oid = id.oid
        var object: OpaquePointer?
        let code = git_odb_read(&object, database, &oid)
        if code == GIT_ENOTFOUND.rawValue { throw .notFound(what: "commit \(id.short)") }
        try LibGit2.check(code, "read commit \(id.short)")
        defer { git_odb_object_free(object) }
        guard git_odb_object_type(object) == GIT_OBJECT_COMMIT else { throw .notFound(what: "commit \(id.short)") }
        return try CommitInfo(
            id: id,
            raw: UnsafeRawBufferPointer(
                start: git_odb_object_data(object),
                count: git_odb_object_size(object)))
    }

    static func trailers(of message: String) -> [Trailer] {
        var array = git_message_trailer_array()
        guard git_message_trailers(&array, message) == 0 else { return [] }
        defer { git_message_trailer_array_free(&array) }
        return (0..<array.count).map { i in
            let trailer = array.trailers[i]
            return Trailer(key: String(cString: trailer.key), value: String(cString: trailer.value))
        }
    }

    /// The files that differ between two commits, with lines added and removed; renames
    /// are found. `from` nil compares against the empty tree.
    public func changes(from: ObjectID?, to: ObjectID) throws(GitError) -> [FileDiff] {
        let oldTree = try from.map { id throws(GitError) in try tree(of: lookupCommit(id)) }
        let newTree = try tree(of: lookupCommit(to))
        var out: OpaquePointer?
        try LibGit2.check(
            git_diff_tree_to_tree(&out, pointer, oldTree?.pointer, newTree.pointer, nil),
            "compare \(from?.short ?? "nothing") with \(to.short)")
        let diff = GitDiff(out!)
        var findOptions = git_diff_find_options()
        try LibGit2.check(
            git_diff_find_options_init(&findOptions, UInt32(GIT_DIFF_FIND_OPTIONS_VERSION)),
            "prepare rename detection")
        findOptions.flags = GIT_DIFF_FIND_RENAMES.rawValue
        try LibGit2.check(git_diff_find_similar(diff.pointer, &findOptions), "find renames")
        var result: [FileDiff] = []
        for i in 0..<git_diff_num_deltas(diff.pointer) {
            guard let delta = git_diff_get_delta(diff.pointer, i)?.pointee else { continue }
            var patchPointer: OpaquePointer?
            try LibGit2.check(git_patch_from_diff(&patchPointer, diff.pointer, i), "count lines")
            var added = 0, removed = 0, context = 0
            if let patchPointer {
                let patch = GitPatch(patchPointer)
                try LibGit2.check(git_patch_line_stats(&context, &added, &removed, patch.pointer), "count lines")
            }
            let oldPath = delta.old_file.path.map { String(cString: $0) }
            let newPath = delta.new_file.path.map { String(cString: $0) } ?? oldPath ?? ""
            let status: FileDiff.Status
            switch delta.status {
            case GIT_DELTA_ADDED: status = .added
            case GIT_DELTA_DELETED: status = .deleted
            case GIT_DELTA_RENAMED: status = .renamed
            case GIT_DELTA_TYPECHANGE: status = .typeChanged
            default: status = .modified
            }
            result.append(
                FileDiff(
                    status: status, path: newPath,
                    oldPath: status == .renamed ? oldPath : nil,
                    linesAdded: added, linesRemoved: removed))
        }
        return result
    }

    /// The changes between two commits as a unified diff, `git diff` style.
    public func patch(from: ObjectID?, to: ObjectID) throws(GitError) -> String {
        let oldTree = try from.map { id throws(GitError) in try tree(of: lookupCommit(id)) }
        let newTree = try tree(of: lookupCommit(to))
        var out: OpaquePointer?
        try LibGit2.check(git_diff_tree_to_tree(&out, pointer, oldTree?.pointer, newTree.pointer, nil), "compare trees")
        let diff = GitDiff(out!)
        var buffer = git_buf()
        defer { git_buf_dispose(&buffer) }
        try LibGit2.check(git_diff_to_buf(&buffer, diff.pointer, GIT_DIFF_FORMAT_PATCH), "format the diff")
        guard let text = buffer.ptr else { return "" }
        return String(decoding: UnsafeRawBufferPointer(start: text, count: buffer.size), as: UTF8.self)
    }

    /// A file's bytes at a revision, or nil when the file is not there.
    public func readFile(_ path: String, at revision: String = Repository.mainBranch) throws(GitError) -> Data? {
        try TreePath.validate(path)
        let tree = try tree(of: lookupCommit(revision))
        guard let entry = try treeEntry(path, in: tree), entry.mode != GIT_FILEMODE_TREE else { return nil }
        return try readBlob(entry.id)
    }

    /// The first part of `path` (the path itself or a folder above it) that is a symbolic
    /// link in a commit's tree, or nil: writing through a link could reach outside the repo.
    public func symbolicLink(along path: String, at revision: String) throws(GitError) -> String? {
        try TreePath.validate(path)
        guard let commit = try? lookupCommit(revision) else { return nil }
        let tree = try tree(of: commit)
        for along in TreePath.folders(above: path) + [path[...]] {
            let prefix = String(along)
            guard let entry = try treeEntry(prefix, in: tree) else { return nil }
            if entry.mode == GIT_FILEMODE_LINK { return prefix }
        }
        return nil
    }

    /// Whether a commit's tree holds `path` (a file or a folder); false when the revision
    /// does not exist yet (an unborn `main`).
    public func contains(_ path: String, at revision: String = Repository.mainBranch) -> Bool {
        guard let commit = try? lookupCommit(revision), let tree = try? tree(of: commit) else { return false }
        return (try? treeEntry(path, in: tree)) != nil
    }

    /// The files directly inside `folder` at a revision (names and blob ids, sorted by
    /// name), without reading the rest of the tree; empty when the folder is not there.
    public func files(in folder: String, at revision: String) throws(GitError) -> [(name: String, blob: ObjectID)] {
        try TreePath.validate(folder)
        let root = try tree(of: lookupCommit(revision))
        guard let entry = try treeEntry(folder, in: root), entry.mode == GIT_FILEMODE_TREE else { return [] }
        let subtree = try lookupTree(entry.id)
        var result: [(name: String, blob: ObjectID)] = []
        for index in 0..<git_tree_entrycount(subtree.pointer) {
            guard let item = git_tree_entry_byindex(subtree.pointer, index),
                git_tree_entry_type(item) == GIT_OBJECT_BLOB
            else { continue }
            result.append((String(cString: git_tree_entry_name(item)), ObjectID(git_tree_entry_id(item))))
        }
        return result
    }

    /// A blob's bytes.
    public func readBlob(_ id: ObjectID) throws(GitError) -> Data {
        var oid = id.oid
        var out: OpaquePointer?
        try LibGit2.check(git_blob_lookup(&out, pointer, &oid), "read blob \(id.short)")
        let blob = GitBlob(out!)
        let size = Int(git_blob_rawsize(blob.pointer))
        guard size > 0, let bytes = git_blob_rawcontent(blob.pointer) else { return Data() }
        return Data(bytes: bytes, count: size)
    }

    /// Every file path in a commit's tree, sorted.
    public func files(at revision: String = Repository.mainBranch) throws(GitError) -> [String] {
        let tree = try tree(of: lookupCommit(revision))
        let collector = FileListCollector()
        let code = git_tree_walk(
            tree.pointer, GIT_TREEWALK_PRE,
            { root, entry, payload in
                guard let root, let entry, let payload,
                    git_tree_entry_type(entry) == GIT_OBJECT_BLOB
                else { return 0 }
                let files = Unmanaged<FileListCollector>.fromOpaque(payload).takeUnretainedValue()
                files.paths.append(String(cString: root) + String(cString: git_tree_entry_name(entry)))
                return 0
            }, Unmanaged.passUnretained(collector).toOpaque())
        withExtendedLifetime(collector) {}
        try LibGit2.check(code, "list files")
        return collector.paths.sorted()
    }
}

/// Collects file paths from a libgit2 tree walk, whose callback cannot capture context.
private final class FileListCollector {
    var paths: [String] = []
}
