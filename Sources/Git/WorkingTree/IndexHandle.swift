import CLibGit2
import Foundation

/// `.git/index`, through a second libgit2 handle on the same repository.
///
/// Reading the index hashes all of it (about 4 ms at 10,000 files); on a handle of its own
/// that can run on the other core while the first handle looks up a dream. Everything
/// libgit2 does for an index owned by a repository still happens: racily clean entries are
/// checked against the files before a write, and paths are staged from the working tree
/// when no snapshot is known.
final class IndexHandle {
    private let owner: Handle<RepositoryKind>
    let index: GitIndex
    let workingDirectory: String
    /// The second handle, for libgit2 calls that read the index themselves (status), so
    /// they share this copy instead of reading the file into one of their own.
    var repositoryPointer: OpaquePointer { owner.pointer }

    /// Opens the repository whose working tree is `workingDirectory` again, and its index.
    init(workingDirectory: String) throws(GitError) {
        var repository: OpaquePointer?
        try LibGit2.check(
            git_repository_open_ext(&repository, workingDirectory, GIT_REPOSITORY_OPEN_NO_SEARCH.rawValue, nil),
            workingDirectory)
        owner = Handle(repository!)
        var out: OpaquePointer?
        try LibGit2.check(git_repository_index(&out, owner.pointer), "open the index")
        index = GitIndex(out!)
        self.workingDirectory = workingDirectory
    }

    /// Reads the index file again if it changed since it was last read (libgit2 compares
    /// its time, size and inode), so what others staged meanwhile is kept.
    func refresh() throws(GitError) {
        try LibGit2.check(git_index_read(index.pointer, 0), "read the index")
    }

    /// Brings the index in step with the working tree for `paths` only, and writes it.
    ///
    /// A path with a snapshot takes its blob id and stat data as they are; any other is
    /// staged from the file (or unstaged when it is gone).
    func sync(paths: [String], snapshots: [String: FileSnapshot], retryPolicy: RetryPolicy) throws(GitError) {
        guard !paths.isEmpty else { return }
        try retryPolicy.run(retryingMovedReferences: false) { () throws(GitError) in
            try refresh()
            for path in paths {
                var info = stat()
                if let snapshot = snapshots[path], let id = snapshot.id, let mode = snapshot.mode {
                    try snapshot.withIndexEntry(path: path, id: id, mode: mode) { (entry) throws(GitError) in
                        try LibGit2.check(git_index_add(index.pointer, entry), "stage \(path)")
                    }
                } else if lstat(workingDirectory + "/" + path, &info) == 0 {
                    if info.st_mode & S_IFMT == S_IFDIR {
                        // A file's or link's entry where a folder is now (a link turned back
                        // into a folder): the folder's files are paths of their own.
                        try LibGit2.check(git_index_remove_bypath(index.pointer, path), "unstage \(path)")
                    } else {
                        try LibGit2.check(git_index_add_bypath(index.pointer, path), "stage \(path)")
                    }
                } else {
                    try LibGit2.check(git_index_remove_bypath(index.pointer, path), "unstage \(path)")
                    try LibGit2.check(git_index_remove_directory(index.pointer, path, 0), "unstage \(path)/")
                }
            }
            try LibGit2.withFsyncSwitchSettled { () throws(GitError) in
                try LibGit2.check(git_index_write(index.pointer), "write the index")
            }
        }
    }
}
