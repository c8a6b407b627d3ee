import CLibGit2

/// Collects many new blobs in memory and stores them as one pack file.
///
/// Every loose object is a file of its own, created and fsynced; for a burst of thousands
/// of changed files that costs far more than the hashing. A second handle on the same
/// repository gets an in-memory object backend in front of its object database, so its
/// writes (blobs and trees) land there, and `finish` writes them as one pack before any
/// commit refers to them. The main handle is left untouched.
final class PackWriter {
    private let repository: Handle<RepositoryKind>
    private let odb: OpaquePointer
    private let backend: UnsafeMutablePointer<git_odb_backend>

    /// Blobs written through this repository pointer go into the pack.
    var repositoryPointer: OpaquePointer { repository.pointer }

    init(gitDirectory: String) throws(GitError) {
        var repo: OpaquePointer?
        try LibGit2.check(git_repository_open(&repo, gitDirectory), "open \(gitDirectory) for a pack")
        repository = Handle(repo!)
        var database: OpaquePointer?
        try LibGit2.check(git_repository_odb(&database, repository.pointer), "open the object database")
        odb = database!
        var memory: UnsafeMutablePointer<git_odb_backend>?
        do {
            try LibGit2.check(git_mempack_new(&memory), "make an in-memory object store")
            // The highest priority puts it first for writes; the odb owns it from here on.
            try LibGit2.check(git_odb_add_backend(odb, memory, 999), "add the in-memory object store")
        } catch {
            git_odb_free(odb)
            throw error
        }
        backend = memory!
    }

    deinit {
        git_odb_free(odb)
    }

    /// Writes the new objects from memory as one pack (with its index) into
    /// `.git/objects/pack/`: the blobs `ids`, and the trees of `root` and of `folders`,
    /// which are the only trees a tree update rewrites (see `folders(along:)`). (libgit2
    /// 1.5's own mempack dump packs commits with their whole trees, which would copy every
    /// unchanged file.)
    func finish(blobs: [ObjectID], folders: Set<String>, root: ObjectID) throws(GitError) {
        var ids = Set(blobs)
        ids.insert(root)
        var rootOID = root.oid
        var rootTree: OpaquePointer?
        try LibGit2.check(git_tree_lookup(&rootTree, repository.pointer, &rootOID), "read the new tree")
        defer { git_tree_free(rootTree) }
        for folder in folders {
            var entry: OpaquePointer?
            guard git_tree_entry_bypath(&entry, rootTree, folder) == 0 else { continue }  // folder removed
            ids.insert(ObjectID(git_tree_entry_id(entry)))
            git_tree_entry_free(entry)
        }
        var builder: OpaquePointer?
        try LibGit2.check(git_packbuilder_new(&builder, repository.pointer), "start a pack")
        defer { git_packbuilder_free(builder) }
        // One thread per core pays off for a big pack's delta search; for a few dozen
        // objects starting the threads costs more than the search.
        git_packbuilder_set_threads(builder, ids.count > 1000 ? 0 : 1)
        for id in ids {
            var oid = id.oid
            try LibGit2.check(git_packbuilder_insert(builder, &oid, nil), "add \(id.short) to a pack")
        }
        try LibGit2.withFsyncSwitchSettled { () throws(GitError) in
            try LibGit2.check(git_packbuilder_write(builder, nil, 0, nil, nil), "write a pack")
        }
        _ = git_mempack_reset(backend)
    }

    /// The folders above `paths` (not the root): the trees an update of those paths rewrites.
    static func folders(along paths: [String]) -> Set<String> {
        var folders = Set<String>()
        for path in paths {
            // Nearest first: once one is known, so are those above it.
            for folder in TreePath.folders(above: path).reversed() {
                guard folders.insert(String(folder)).inserted else { break }
            }
        }
        return folders
    }
}
