import CLibGit2
import Foundation

extension Repository {
    /// One file a move of `main` writes or removes, checked: on disk it held the old
    /// content (its stat data then, nil when absent).
    struct FileWrite {
        let change: EntryDiff
        let onDisk: stat?
    }

    /// Checks that the files `changes` name can go from their old entries to their new
    /// ones on disk, safely, writing nothing: the file must hold the old content, or
    /// already the new, or be absent where there was nothing. The index is only read (its
    /// stat data spare reading unchanged files).
    ///
    /// - Returns: the files to write (see `write(_:)`); nil when a path is not a plain
    ///   file on either side (a folder, a link), which is left to libgit2's checkout.
    func fileWrites(_ changes: [EntryDiff], index: IndexView?) throws(GitError) -> [FileWrite]? {
        var steps: [FileWrite] = []
        var changed: [String] = []
        var folders = FolderCheck(workingDirectory: workingDirectory)
        for change in changes {
            let before = change.old, after = change.new
            for entry in [before, after] where entry?.isFile == false { return nil }
            // A folder on the way that is now a link (made after the dream was written)
            // could lead the write out of the repository: that path is not ours to touch.
            if let link = folders.linkedFolder(along: change.path) {
                throw .invalidPath(path: change.path, reason: "\(link) is a symbolic link on disk; nothing was written")
            }
            let file = workingDirectory + "/" + change.path
            var info = stat()
            if lstat(file, &info) != 0 {
                // Not simply absent (a person's file where a folder on the way should be, a
                // name too long): the write would fail halfway through the move, so it stops
                // here, untouched.
                if errno != ENOENT && after != nil {
                    changed.append(change.path)
                    continue
                }
                // Absent: right when main had no file there, or when the file is to go anyway.
                if before != nil && after != nil { changed.append(change.path) }
                if after != nil { steps.append(FileWrite(change: change, onDisk: nil)) }
                continue
            }
            guard info.st_mode & S_IFMT == S_IFREG,
                let onDisk = blob(at: change.path, info: info, index: index, expecting: [before?.id, after?.id])
            else {
                changed.append(change.path)
                continue
            }
            if let after, onDisk == after.id { continue }  // already there
            guard let before, onDisk == before.id else {
                changed.append(change.path)
                continue
            }
            steps.append(FileWrite(change: change, onDisk: info))
        }
        if !changed.isEmpty { throw .workingTreeChanged(paths: changed.sorted()) }
        return steps
    }

    /// Starts reading the blobs of `changes` on the other core, through an object database
    /// of its own, while the caller checks the files; nil when there are too few to pay
    /// for a thread. A blob it could not read is read again by `write(_:blobs:)`.
    func readAhead(_ changes: [EntryDiff]) -> Background<[ObjectID: Data]>? {
        let ids = changes.compactMap { $0.new?.isFile == true ? $0.new!.id : nil }
        guard ids.count >= Self.blobReadAheadThreshold else { return nil }
        var buffer = git_buf()
        guard git_repository_item_path(&buffer, pointer, GIT_REPOSITORY_ITEM_OBJECTS) == 0 else { return nil }
        let objects = String(cString: buffer.ptr)
        git_buf_dispose(&buffer)
        return Background { () throws(GitError) in
            var database: OpaquePointer?
            try LibGit2.check(git_odb_open(&database, objects), "open the object database")
            defer { git_odb_free(database) }
            var blobs: [ObjectID: Data] = [:]
            for id in ids {
                var oid = id.oid
                var object: OpaquePointer?
                guard git_odb_read(&object, database, &oid) == 0 else { continue }
                defer { git_odb_object_free(object) }
                let size = git_odb_object_size(object)
                blobs[id] = size > 0 ? Data(bytes: git_odb_object_data(object), count: size) : Data()
            }
            return blobs
        }
    }

    /// Below this many files a move reads its blobs itself (a thread costs about 0.2 ms;
    /// a blob 5 µs from a pack, 15 µs loose).
    static let blobReadAheadThreshold = 16

    /// Writes the files `fileWrites` checked, with the blobs read ahead where there are.
    ///
    /// Files are rewritten in place, from the first byte, then cut to their new length if
    /// they were longer: on ext4 a new inode per file (a temporary file renamed over the
    /// old one) costs forty times as much, and truncating first (O_TRUNC) ten times. A
    /// crash mid-write leaves the new content's start followed by the old content's rest,
    /// which `finishInterruptedAdvance` recognises and redoes.
    ///
    /// - Returns: the stat data and blob of every file written, for the index.
    func write(_ steps: [FileWrite], blobs: [ObjectID: Data] = [:]) throws(GitError) -> [String: FileSnapshot] {
        var snapshots: [String: FileSnapshot] = [:]
        for step in steps {
            let path = step.change.path, file = workingDirectory + "/" + path
            guard let new = step.change.new else {
                unlink(file)
                removeEmptyFolders(above: path)
                continue
            }
            if step.onDisk == nil { try makeFolders(above: path) }
            var bytes = blobs[new.id]
            if bytes == nil { bytes = try readBlob(new.id) }
            snapshots[path] = try write(bytes!, as: new, to: file, over: step.onDisk, path: path)
        }
        return snapshots
    }

    /// The blob the regular file at `path` (whose `lstat` is `info`) holds as git would
    /// store it; nil when it cannot be read.
    ///
    /// As git does, stat data the index vouches for spare reading the file. Without that,
    /// its bytes are hashed as they are, which answers when they are exactly a blob
    /// `expected` (git's filters leave content that is clean already as it is); only
    /// other content goes through the filters, whose attributes cost a read of every
    /// `.gitattributes` on the way the first time.
    func blob(at path: String, info: stat, index: IndexView?, expecting expected: [ObjectID?]) -> ObjectID? {
        if let recorded = index?.unchangedEntry(path, info: info) { return recorded.id }
        let file = workingDirectory + "/" + path
        var oid = git_oid()
        if git_odb_hashfile(&oid, file, GIT_OBJECT_BLOB) == 0, expected.contains(ObjectID(oid)) { return ObjectID(oid) }
        guard git_repository_hashfile(&oid, pointer, file, GIT_OBJECT_BLOB, nil) == 0 else { return nil }
        return ObjectID(oid)
    }

    /// Writes one file in place (plain system calls: Foundation's Data.write costs far more
    /// per file), cutting it to length only when it was longer and setting its mode only
    /// when the executable bit changes, each a journaled inode update on ext4.
    private func write(
        _ bytes: Data, as entry: TreeEntry, to file: String, over old: stat?, path: String
    ) throws(GitError) -> FileSnapshot {
        let executable = entry.mode == GIT_FILEMODE_BLOB_EXECUTABLE
        let descriptor = Glibc.open(file, O_WRONLY | O_CREAT | O_CLOEXEC, executable ? 0o755 : 0o644)
        guard descriptor >= 0 else { throw .io(path: path, message: String(cString: strerror(errno))) }
        defer { close(descriptor) }
        let written = bytes.withUnsafeBytes { buffer -> Bool in
            var offset = 0
            while offset < buffer.count {
                let count = Glibc.write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
                if count < 0 && errno == EINTR { continue }
                if count <= 0 { return false }
                offset += count
            }
            return true
        }
        guard written else { throw .io(path: path, message: String(cString: strerror(errno))) }
        if let old, old.st_size > bytes.count, ftruncate(descriptor, off_t(bytes.count)) != 0 {
            throw .io(path: path, message: String(cString: strerror(errno)))
        }
        if let old, (old.st_mode & S_IXUSR != 0) != executable {
            let permissions = old.st_mode & 0o777
            fchmod(descriptor, executable ? permissions | 0o111 : permissions & ~0o111)
        }
        var info = stat()
        guard fstat(descriptor, &info) == 0 else { throw .io(path: path, message: String(cString: strerror(errno))) }
        return FileSnapshot(info, id: entry.id, mode: entry.mode)
    }

    /// Creates the folders above `path` that are missing (plain mkdir: Foundation's
    /// createDirectory costs a millisecond).
    private func makeFolders(above path: String) throws(GitError) {
        for above in TreePath.folders(above: path) {
            let folder = workingDirectory + "/" + above
            if mkdir(folder, 0o755) != 0 && errno != EEXIST {
                throw .io(path: path, message: "cannot create \(folder): \(String(cString: strerror(errno)))")
            }
        }
    }

    /// Removes the folders a deletion left empty, up to the repository's root.
    func removeEmptyFolders(above path: String) {
        // Nearest first: a folder is empty only once the one below it is gone.
        for folder in TreePath.folders(above: path).reversed() {
            guard rmdir(workingDirectory + "/" + folder) == 0 else { return }
        }
    }
}
