import CLibGit2
import Foundation

extension Repository {
    /// Commits `changes` on `branch` as a child of `base`, in the object database only: the
    /// working tree and the index are never touched (docs/architecture.md).
    ///
    /// The branch is created when missing; when it exists it must point at `base`, so two
    /// writers never silently overwrite each other. `main` is refused: it only moves
    /// through commits of the working tree or through `advanceMain`, which keep the files on
    /// disk in step.
    @discardableResult
    public func commit(
        _ changes: [TreeEdit], onBranch branch: String, base: ObjectID?,
        message: String, author: Signature? = nil
    ) throws(GitError) -> ObjectID {
        try commit(changes, onReference: "refs/heads/\(branch)", base: base, message: message, author: author)
    }

    /// Commits like `commit(_:onBranch:base:message:author:)`, on any reference but main's
    /// (a `refs/reverie/…` one, say, that no one sees as a branch).
    @discardableResult
    public func commit(
        _ changes: [TreeEdit], onReference reference: String, base: ObjectID?,
        message: String, author: Signature? = nil
    ) throws(GitError) -> ObjectID {
        guard reference != Self.mainReference else {
            throw .invalidReference(name: reference, reason: "in-memory commits never go to main")
        }
        try requireValidReferenceName(reference)
        for change in changes { for path in change.paths { try TreePath.validate(path) } }
        let parent = try base.map { id throws(GitError) in try lookupCommit(id) }
        let baseTree = try parent.map { parent throws(GitError) in try tree(of: parent) }
        var updates: [TreeUpdate] = []
        for change in changes {
            switch change {
            case .write(let path, let contents):
                let id = try writeBlob(contents)
                let mode = try fileMode(of: path, in: baseTree) ?? GIT_FILEMODE_BLOB
                updates.append(.upsert(path, id, mode == GIT_FILEMODE_TREE ? GIT_FILEMODE_BLOB : mode))
            case .delete(let path):
                guard try treeEntry(path, in: baseTree) != nil else { throw .notFound(what: "file \(path)") }
                updates.append(.remove(path))
            case .rename(let from, let to):
                guard let entry = try treeEntry(from, in: baseTree) else { throw .notFound(what: "file \(from)") }
                updates.append(.remove(from))
                updates.append(.upsert(to, entry.id, entry.mode))
            }
        }
        let newTree = try buildTree(base: baseTree, updates: updates)
        return try retryPolicy.run(retryingMovedReferences: false) { () throws(GitError) -> ObjectID in
            try createCommit(
                tree: newTree, parents: parent.map { [$0] } ?? [], message: message,
                author: author ?? .default(for: self), updating: reference)
        }
    }

    /// Stores bytes as a blob.
    public func writeBlob(_ contents: Data) throws(GitError) -> ObjectID {
        var oid = git_oid()
        let code = contents.withUnsafeBytes { buffer in
            git_blob_create_from_buffer(&oid, pointer, buffer.baseAddress, buffer.count)
        }
        try LibGit2.check(code, "store a blob")
        return ObjectID(oid)
    }

    func treeEntry(_ path: String, in tree: GitTree?) throws(GitError) -> TreeEntry? {
        guard let tree else { return nil }
        var entry: OpaquePointer?
        let code = git_tree_entry_bypath(&entry, tree.pointer, path)
        if code == GIT_ENOTFOUND.rawValue { return nil }
        try LibGit2.check(code, "look up \(path)")
        defer { git_tree_entry_free(entry) }
        return TreeEntry(id: ObjectID(git_tree_entry_id(entry)), mode: git_tree_entry_filemode(entry))
    }

    private func fileMode(of path: String, in tree: GitTree?) throws(GitError) -> git_filemode_t? {
        try treeEntry(path, in: tree)?.mode
    }

    /// Applies `updates` to `base` (nil: the empty tree) and writes the new tree, through
    /// `writer` when given (a `PackWriter`'s handle), else through this repository.
    func buildTree(base: GitTree?, updates: [TreeUpdate], writer: OpaquePointer? = nil) throws(GitError) -> ObjectID {
        // libgit2 wants C strings that outlive the call.
        let cPaths = updates.map { strdup($0.path) }
        defer { cPaths.forEach { free($0) } }
        var raw = updates.enumerated().map { index, update -> git_tree_update in
            var item = git_tree_update()
            item.path = UnsafePointer(cPaths[index])
            switch update {
            case .upsert(_, let id, let mode):
                item.action = GIT_TREE_UPDATE_UPSERT
                item.id = id.oid
                item.filemode = mode
            case .remove:
                item.action = GIT_TREE_UPDATE_REMOVE
            }
            return item
        }
        var out = git_oid()
        if let base {
            try LibGit2.check(
                git_tree_create_updated(&out, writer ?? pointer, base.pointer, raw.count, &raw),
                "build tree")
            return ObjectID(out)
        }
        // No baseline: start from the empty tree.
        var builder: OpaquePointer?
        try LibGit2.check(git_treebuilder_new(&builder, pointer, nil), "build tree")
        var emptyID = git_oid()
        let code = git_treebuilder_write(&emptyID, builder)
        git_treebuilder_free(builder)
        try LibGit2.check(code, "write empty tree")
        let empty = try lookupTree(ObjectID(emptyID))
        if raw.isEmpty { return empty.id }
        try LibGit2.check(
            git_tree_create_updated(&out, writer ?? pointer, empty.pointer, raw.count, &raw),
            "build tree")
        return ObjectID(out)
    }

    /// Writes a commit and, when `reference` is given, moves it there only if the reference
    /// still points at the first parent (or does not exist): a compare-and-swap.
    func createCommit(
        tree treeID: ObjectID, parents: [GitCommit], message: String,
        author: Signature, committer: Signature? = nil, updating reference: String?
    ) throws(GitError) -> ObjectID {
        let tree = try lookupTree(treeID)
        let text = message.hasSuffix("\n") ? message : message + "\n"
        var out = git_oid()
        var parentPointers: [OpaquePointer?] = parents.map { $0.pointer }
        try author.withGitSignature { (authorSignature) throws(GitError) in
            try (committer ?? author).withGitSignature { (committerSignature) throws(GitError) in
                let code = parentPointers.withUnsafeMutableBufferPointer { buffer in
                    git_commit_create(
                        &out, pointer, reference, authorSignature, committerSignature,
                        nil, text, tree.pointer, parents.count, buffer.baseAddress)
                }
                try LibGit2.check(code, "commit to \(reference ?? "the object database")")
            }
        }
        return ObjectID(out)
    }
}
