import CLibGit2
import Foundation

extension Repository {
    /// Brings the files at `paths` from `old` to `new` on disk, safely: first every path
    /// is checked (the file must hold `old`'s content, or already `new`'s, or be absent
    /// where `old` has nothing), and only if all pass is anything written. The index is
    /// not touched.
    ///
    /// Files are rewritten in place, from the first byte, then cut to their new length: on
    /// ext4 a new inode per file (a temporary file renamed over the old one) costs forty
    /// times as much, and truncating first (O_TRUNC) ten times. A crash mid-write leaves
    /// the new content's start followed by the old content's rest, which
    /// `finishInterruptedAdvance` recognises and redoes.
    ///
    /// - Returns: the stat data and blob of every file written, for the index; nil when a
    ///   path is not a plain file on either side (a folder, a link), which is left to
    ///   libgit2's checkout.
    func writeFiles(from old: GitTree?, to new: GitTree, paths: [String]) throws(GitError) -> [String: FileSnapshot]? {
        struct Step { let path: String; let new: (id: ObjectID, mode: git_filemode_t)? }
        var steps: [Step] = []
        var changed: [String] = []
        for path in paths {
            let before = try treeEntry(path, in: old), after = try treeEntry(path, in: new)
            for entry in [before, after] {
                if let mode = entry?.mode, mode != GIT_FILEMODE_BLOB && mode != GIT_FILEMODE_BLOB_EXECUTABLE { return nil }
            }
            let file = workingDirectory + "/" + path
            // A folder on the way that is now a link (made after the dream was written)
            // could lead the write out of the repository: that path is not ours to touch.
            if let link = linkedFolder(along: path) {
                throw .invalidPath(path: path, reason: "\(link) is a symbolic link on disk; nothing was written")
            }
            var info = stat()
            if lstat(file, &info) != 0 {
                // Absent: right when main had no file there, or when the file is to go anyway.
                if before != nil && after != nil { changed.append(path) }
                if after != nil { steps.append(Step(path: path, new: after)) }
                continue
            }
            guard info.st_mode & S_IFMT == S_IFREG else { changed.append(path); continue }
            var oid = git_oid()
            guard git_repository_hashfile(&oid, pointer, file, GIT_OBJECT_BLOB, nil) == 0 else { changed.append(path); continue }
            let onDisk = ObjectID(oid)
            if let after, onDisk == after.id { continue }  // already there
            guard let before, onDisk == before.id else { changed.append(path); continue }
            steps.append(Step(path: path, new: after))
        }
        if !changed.isEmpty { throw .workingTreeChanged(paths: changed.sorted()) }

        var snapshots: [String: FileSnapshot] = [:]
        for step in steps {
            let file = workingDirectory + "/" + step.path
            guard let new = step.new else {
                unlink(file)
                removeEmptyFolders(above: step.path)
                continue
            }
            let folder = (file as NSString).deletingLastPathComponent
            if access(folder, F_OK) != 0 {
                do {
                    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
                } catch {
                    throw .io(path: step.path, message: error.localizedDescription)
                }
            }
            // Plain system calls: Foundation's Data.write costs far more per file.
            let bytes = try readBlob(new.id)
            let mode: mode_t = new.mode == GIT_FILEMODE_BLOB_EXECUTABLE ? 0o755 : 0o644
            let descriptor = Glibc.open(file, O_WRONLY | O_CREAT | O_CLOEXEC, mode)
            guard descriptor >= 0 else { throw .io(path: step.path, message: String(cString: strerror(errno))) }
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
            guard written, ftruncate(descriptor, off_t(bytes.count)) == 0 else {
                throw .io(path: step.path, message: String(cString: strerror(errno)))
            }
            fchmod(descriptor, mode)
            var info = stat()
            if lstat(file, &info) == 0 { snapshots[step.path] = FileSnapshot(info, id: new.id, mode: new.mode) }
        }
        return snapshots
    }

    /// The first folder above `path` in the working tree that is a symbolic link, if any.
    private func linkedFolder(along path: String) -> String? {
        var prefix = ""
        for part in path.split(separator: "/").dropLast() {
            prefix += prefix.isEmpty ? String(part) : "/\(part)"
            var info = stat()
            guard lstat(workingDirectory + "/" + prefix, &info) == 0 else { return nil }  // absent: made as a folder
            if info.st_mode & S_IFMT == S_IFLNK { return prefix }
        }
        return nil
    }

    /// Removes the folders a deletion left empty, up to the repository's root.
    private func removeEmptyFolders(above path: String) {
        var folder = (path as NSString).deletingLastPathComponent
        while !folder.isEmpty, rmdir(workingDirectory + "/" + folder) == 0 {
            folder = (folder as NSString).deletingLastPathComponent
        }
    }
}
