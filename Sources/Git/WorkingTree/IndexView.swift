import CLibGit2
import Foundation

/// The index as git itself uses it to avoid reading files: a file whose stat data are
/// still the ones the index recorded for it holds the blob the index names, unless the
/// entry was recorded in the same clock tick as the index was written ("racily clean": the
/// file may have changed again within that tick, unseen by its timestamps).
///
/// It only ever vouches that a file did not change; when the stat data cannot tell, the
/// caller reads the file or asks libgit2's status.
struct IndexView {
    private let handle: IndexHandle
    private var index: GitIndex { handle.index }
    /// When the index file was written, as read; nil when that is not known for sure.
    private let written: timespec?

    init(_ repository: Repository) throws(GitError) {
        try self.init(repository) { () throws(GitError) in try repository.index() }!
    }

    /// The view when the index can be had without waiting for it (see `indexIfReady`).
    init?(ifReady repository: Repository) throws(GitError) {
        try self.init(repository) { () throws(GitError) in try repository.indexIfReady() }
    }

    private init?(_ repository: Repository, handle read: () throws(GitError) -> IndexHandle?) throws(GitError) {
        // The index file's time is taken before and after reading it (again, if it changed
        // since it was last read); if someone rewrote it meanwhile, no entry is trusted.
        let file = repository.gitDirectory + "/index"
        var before = stat(), after = stat()
        let known = stat(file, &before) == 0
        guard let handle = try read() else { return nil }
        self.handle = handle
        if known, stat(file, &after) == 0, before.st_ino == after.st_ino, before.st_size == after.st_size,
            before.st_mtim.tv_sec == after.st_mtim.tv_sec, before.st_mtim.tv_nsec == after.st_mtim.tv_nsec
        {
            written = after.st_mtim
        } else {
            written = nil
        }
    }

    /// What the index records for `path` (its merged entry; nil when absent or conflicted).
    func entry(_ path: String) -> TreeEntry? {
        guard let entry = git_index_get_bypath(index.pointer, path, 0)?.pointee else { return nil }
        return TreeEntry(id: ObjectID(entry.id), mode: git_filemode_t(rawValue: entry.mode))
    }

    /// The index's entry for `path` when the file, whose `lstat` is `info`, certainly still
    /// holds it; nil when only its content could tell.
    func unchangedEntry(_ path: String, info: stat) -> TreeEntry? {
        guard let written, let entry = git_index_get_bypath(index.pointer, path, 0)?.pointee,
            FileSnapshot(info).isRecorded(in: entry), entry.mode == Self.mode(of: info).rawValue
        else { return nil }
        // Racily clean: recorded in the same clock tick as the index was written.
        let stamp = (Int32(truncatingIfNeeded: written.tv_sec), UInt32(truncatingIfNeeded: written.tv_nsec))
        guard (entry.mtime.seconds, entry.mtime.nanoseconds) < stamp else { return nil }
        return TreeEntry(id: ObjectID(entry.id), mode: git_filemode_t(rawValue: entry.mode))
    }

    /// The mode git records for a file with these stat data.
    static func mode(of info: stat) -> git_filemode_t {
        switch info.st_mode & S_IFMT {
        case S_IFLNK: GIT_FILEMODE_LINK
        case S_IFDIR: GIT_FILEMODE_TREE
        default: info.st_mode & S_IXUSR != 0 ? GIT_FILEMODE_BLOB_EXECUTABLE : GIT_FILEMODE_BLOB
        }
    }
}
