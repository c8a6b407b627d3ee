import CLibGit2
import Foundation

/// The stat data of a working-tree file at the moment its blob was made.
///
/// Handing these to the index with the blob's id spares it hashing every file again; it
/// is only done when the stat data were the same before and after hashing, so the id
/// belongs to exactly this version of the file.
struct FileSnapshot: Equatable {
    let ctime: timespec
    let mtime: timespec
    let device: UInt64
    let inode: UInt64
    let uid: UInt32
    let gid: UInt32
    let size: Int64
    var id: ObjectID?
    var mode: git_filemode_t?

    init(_ info: stat, id: ObjectID? = nil, mode: git_filemode_t? = nil) {
        ctime = info.st_ctim
        mtime = info.st_mtim
        device = UInt64(info.st_dev)
        inode = UInt64(info.st_ino)
        uid = info.st_uid
        gid = info.st_gid
        size = Int64(info.st_size)
        self.id = id
        self.mode = mode
    }

    static func == (a: FileSnapshot, b: FileSnapshot) -> Bool {
        a.ctime.tv_sec == b.ctime.tv_sec && a.ctime.tv_nsec == b.ctime.tv_nsec
            && a.mtime.tv_sec == b.mtime.tv_sec && a.mtime.tv_nsec == b.mtime.tv_nsec
            && a.device == b.device && a.inode == b.inode && a.size == b.size
    }

    /// An index entry for `path` with these stat data, the blob id and mode.
    func withIndexEntry<T>(
        path: String, id: ObjectID, mode: git_filemode_t,
        _ body: (UnsafePointer<git_index_entry>) throws(GitError) -> T
    ) throws(GitError) -> T {
        let cPath = strdup(path)
        defer { free(cPath) }
        var entry = statFields
        entry.mode = mode.rawValue
        entry.id = id.oid
        entry.path = UnsafePointer(cPath)
        return try body(&entry)
    }

    /// Whether `entry` records exactly these stat data (as far as the index keeps them).
    func isRecorded(in entry: git_index_entry) -> Bool {
        let mine = statFields
        return mine.ctime.seconds == entry.ctime.seconds && mine.ctime.nanoseconds == entry.ctime.nanoseconds
            && mine.mtime.seconds == entry.mtime.seconds && mine.mtime.nanoseconds == entry.mtime.nanoseconds
            && mine.dev == entry.dev && mine.ino == entry.ino && mine.uid == entry.uid && mine.gid == entry.gid
            && mine.file_size == entry.file_size
    }

    /// An index entry holding these stat data: 32-bit fields, as git itself keeps them.
    private var statFields: git_index_entry {
        var entry = git_index_entry()
        entry.ctime = git_index_time(
            seconds: Int32(truncatingIfNeeded: ctime.tv_sec),
            nanoseconds: UInt32(truncatingIfNeeded: ctime.tv_nsec))
        entry.mtime = git_index_time(
            seconds: Int32(truncatingIfNeeded: mtime.tv_sec),
            nanoseconds: UInt32(truncatingIfNeeded: mtime.tv_nsec))
        entry.dev = UInt32(truncatingIfNeeded: device)
        entry.ino = UInt32(truncatingIfNeeded: inode)
        entry.uid = uid
        entry.gid = gid
        entry.file_size = UInt32(truncatingIfNeeded: size)
        return entry
    }
}
