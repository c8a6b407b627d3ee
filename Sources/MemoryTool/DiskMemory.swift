import Foundation
import Glibc
import Memory

/// The memory repo's working tree as the memory tool's store: the files an agent reads and
/// writes through `reverie mcp` (docs/architecture.md).
///
/// Every path passes `RepoPath.resolve` (no symbolic link out of the repo or into `.git`)
/// and is then opened one folder at a time, each relative to the one before and with
/// `O_NOFOLLOW`: no symbolic link is ever followed, not even one that stays inside, and none
/// swapped in after the check is followed either. `.git/` and `.reverie/` are not memory,
/// nor is a file git ignores (it could never be committed).
///
/// A write goes to a new temporary file in the same folder, is fsynced, renamed over the
/// file and the folder fsynced: a crash leaves the old text or the new one, never half, and
/// a reader never sees a file being written. A file's mode is kept.
public struct DiskMemory: MemoryStorage {
    /// The largest file read, in bytes: a larger one is refused rather than loaded.
    public static let maxReadBytes = 8 << 20

    /// The memory repo whose working tree this is: its root and its ignore rules.
    public let memory: MemoryRepo

    /// The working tree of `memory`.
    public init(memory: MemoryRepo) {
        self.memory = memory
    }

    /// The working tree's folder.
    public var root: String { memory.root }

    /// The file's text; nil when nothing, a folder or an ignored file is there.
    /// - Throws: for a symbolic link, a file that is not text, or one over `maxReadBytes`.
    public func read(_ path: RepoPath) throws(MemoryError) -> String? {
        let names = try check(path)
        if try memory.isIgnored(path.value) { return nil }
        guard let folders = try openFolders(names.dropLast(), of: path, creating: false) else { return nil }
        defer { folders.close() }
        let descriptor = openat(
            folders.last, String(names[names.count - 1]), O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC)
        guard descriptor >= 0 else {
            let code = errno
            if code == ENOENT { return nil }
            if code == ELOOP { throw Self.link(path, at: path.value) }
            throw .io(path: path.value, message: "cannot read it: \(Self.describe(code))")
        }
        defer { close(descriptor) }
        var info = stat()
        guard fstat(descriptor, &info) == 0 else {
            throw .io(path: path.value, message: "cannot read it: \(Self.describe(errno))")
        }
        switch info.st_mode & S_IFMT {
        case S_IFDIR: return nil
        case S_IFREG: break
        default: throw .invalidPath(path: path.value, reason: "it is not a regular file")
        }
        guard Int(info.st_size) <= Self.maxReadBytes else {
            throw .io(
                path: path.value,
                message: "it is \(info.st_size) bytes, more than the \(Self.maxReadBytes) "
                    + "the memory tool reads; a person must split it")
        }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        while bytes.count <= Self.maxReadBytes {
            let count = buffer.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress, $0.count) }
            if count == 0 { break }
            if count < 0 {
                if errno == EINTR { continue }
                throw .io(path: path.value, message: "cannot read it: \(Self.describe(errno))")
            }
            bytes += buffer[0..<count]
        }
        guard bytes.count <= Self.maxReadBytes else {
            throw .io(path: path.value, message: "it grew past the \(Self.maxReadBytes) bytes the memory tool reads")
        }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw .io(path: path.value, message: "it is not UTF-8 text; the memory tool reads and writes text only")
        }
        return text
    }

    /// Replaces the file at `path` (or creates it, and the folders on the way) atomically.
    public mutating func write(_ text: String, to path: RepoPath) throws(MemoryError) {
        let names = try check(path)
        if try memory.isIgnored(path.value) {
            throw .invalidPath(
                path: path.value,
                reason: "git ignores it (.gitignore), so it would never be committed; "
                    + "choose another name")
        }
        guard let folders = try openFolders(names.dropLast(), of: path, creating: true) else {
            throw .io(path: path.value, message: "its folder cannot be made")
        }
        defer { folders.close() }
        let folder = folders.last
        let name = String(names[names.count - 1])
        var mode: mode_t = 0o666  // less the umask, as any editor makes a file
        var keepsMode = false
        var info = stat()
        if fstatat(folder, name, &info, AT_SYMLINK_NOFOLLOW) == 0 {
            switch info.st_mode & S_IFMT {
            case S_IFREG: (mode, keepsMode) = (info.st_mode & 0o7777, true)
            case S_IFLNK: throw Self.link(path, at: path.value)
            case S_IFDIR: throw .invalidPath(path: path.value, reason: "it is a folder")
            default: throw .invalidPath(path: path.value, reason: "it is not a regular file")
            }
        } else if errno != ENOENT {
            throw .io(path: path.value, message: "cannot write it: \(Self.describe(errno))")
        }

        // Hidden, so listings and the daemon's commits pass it by while it exists.
        let temporary = ".reverie-\(getpid())-\(String(UInt64.random(in: 0...UInt64.max), radix: 16)).tmp"
        let descriptor = openat(folder, temporary, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode)
        guard descriptor >= 0 else {
            throw .io(path: path.value, message: "cannot write it: \(Self.describe(errno))")
        }
        var failure: Int32 = Self.writeAll(text, to: descriptor)
        if failure == 0, keepsMode, fchmod(descriptor, mode) != 0 { failure = errno }
        if failure == 0, fsync(descriptor) != 0 { failure = errno }
        if close(descriptor) != 0, failure == 0 { failure = errno }
        if failure == 0, renameat(folder, temporary, folder, name) != 0 { failure = errno }
        guard failure == 0 else {
            unlinkat(folder, temporary, 0)
            throw .io(path: path.value, message: "cannot write it: \(Self.describe(failure)); it is as it was")
        }
        fsync(folder)  // the rename itself survives a crash
    }

    /// Removes the file at `path`, and the folders it leaves empty (folders are implied by
    /// their files, as in git). Nothing happens when no file is there.
    public mutating func delete(_ path: RepoPath) throws(MemoryError) {
        let names = try check(path)
        if try memory.isIgnored(path.value) { return }
        guard let folders = try openFolders(names.dropLast(), of: path, creating: false) else { return }
        defer { folders.close() }
        let name = String(names[names.count - 1])
        var info = stat()
        guard fstatat(folders.last, name, &info, AT_SYMLINK_NOFOLLOW) == 0 else {
            if errno == ENOENT { return }
            throw .io(path: path.value, message: "cannot delete it: \(Self.describe(errno))")
        }
        switch info.st_mode & S_IFMT {
        case S_IFREG: break
        case S_IFLNK: throw Self.link(path, at: path.value)
        case S_IFDIR: throw .invalidPath(path: path.value, reason: "it is a folder")
        default: throw .invalidPath(path: path.value, reason: "it is not a regular file")
        }
        guard unlinkat(folders.last, name, 0) == 0 else {
            throw .io(path: path.value, message: "cannot delete it: \(Self.describe(errno))")
        }
        // descriptors[k] is the folder that holds names[k]; one that still holds anything stays.
        var deepest = folders.descriptors.count - 1
        for index in stride(from: names.count - 2, through: 0, by: -1) {
            guard unlinkat(folders.descriptors[index], String(names[index]), AT_REMOVEDIR) == 0 else { break }
            deepest = index
        }
        fsync(folders.descriptors[deepest])
    }

    /// Every regular file below `folder` (everything when nil) that is memory, hidden ones
    /// too, with its size. Symbolic links are neither followed nor listed.
    public func list(under folder: RepoPath?) throws(MemoryError) -> [RepoPath: Int] {
        var found: [RepoPath: Int] = [:]
        let start: Folders
        var prefix = ""
        if let folder {
            let names = try check(folder)
            if try memory.isIgnored(folder.value) { return [:] }
            guard let folders = try openFolders(names[...], of: folder, creating: false) else { return [:] }
            start = folders
            prefix = folder.value + "/"
        } else {
            guard let folders = try openFolders([], of: nil, creating: false) else { return [:] }
            start = folders
        }
        defer { start.close() }
        try collect(in: start.last, prefix: prefix, into: &found)
        return found
    }

    // MARK: - Paths

    /// The path's names, once the repo's rules accept it.
    private func check(_ path: RepoPath) throws(MemoryError) -> [Substring] {
        _ = try RepoPath.resolve(path.value, in: root)
        let names = path.value.split(separator: "/")
        if names.first?.lowercased() == ".reverie" {
            throw .invalidPath(path: path.value, reason: ".reverie holds Reverie's settings, not memory")
        }
        return names
    }

    /// Descriptors of the memory folder and of each folder named, opened in turn without
    /// following links.
    private struct Folders {
        var descriptors: [Int32]
        var last: Int32 { descriptors[descriptors.count - 1] }

        func close() {
            for descriptor in descriptors { Glibc.close(descriptor) }
        }
    }

    /// Opens the memory folder and `names` below it, one by one.
    /// - Parameter creating: makes missing folders; otherwise a missing one (or a file where a
    ///   folder would be) gives nil.
    private func openFolders(
        _ names: ArraySlice<Substring>, of path: RepoPath?, creating: Bool
    ) throws(MemoryError) -> Folders? {
        let rootDescriptor = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard rootDescriptor >= 0 else {
            throw .io(path: root, message: "cannot open the memory folder: \(Self.describe(errno))")
        }
        var folders = Folders(descriptors: [rootDescriptor])
        var prefix = ""
        for name in names {
            prefix += prefix.isEmpty ? String(name) : "/\(name)"
            let flags = O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC
            var descriptor = openat(folders.last, String(name), flags)
            if descriptor < 0, errno == ENOENT, creating {
                if mkdirat(folders.last, String(name), 0o777) == 0 {
                    fsync(folders.last)
                } else if errno != EEXIST {
                    let code = errno
                    folders.close()
                    throw .io(path: prefix, message: "cannot make the folder: \(Self.describe(code))")
                }
                descriptor = openat(folders.last, String(name), flags)
            }
            guard descriptor >= 0 else {
                let code = errno
                var info = stat()
                let kind =
                    fstatat(folders.last, String(name), &info, AT_SYMLINK_NOFOLLOW) == 0 ? info.st_mode & S_IFMT : nil
                folders.close()
                if kind == S_IFLNK, let path { throw Self.link(path, at: prefix) }
                if code == ENOENT || (!creating && code == ENOTDIR) { return nil }
                if code == ENOTDIR, let path {
                    throw .invalidPath(path: path.value, reason: "'\(prefix)' is a file, not a folder")
                }
                throw .io(path: prefix, message: "cannot open the folder: \(Self.describe(code))")
            }
            folders.descriptors.append(descriptor)
        }
        return folders
    }

    /// Adds the memory files in the open folder `folder` (at `prefix`) and below.
    private func collect(in folder: Int32, prefix: String, into found: inout [RepoPath: Int]) throws(MemoryError) {
        for name in Self.names(in: folder) {
            if prefix.isEmpty, [".git", ".reverie"].contains(name.lowercased()) { continue }
            let relative = prefix + name
            guard let path = try? RepoPath(relative) else { continue }  // `.git` in another spelling, say
            var info = stat()
            guard fstatat(folder, name, &info, AT_SYMLINK_NOFOLLOW) == 0 else { continue }  // gone meanwhile
            let kind = info.st_mode & S_IFMT
            guard kind == S_IFREG || kind == S_IFDIR else { continue }
            if try memory.isIgnored(relative) { continue }
            if kind == S_IFREG {
                found[path] = Int(info.st_size)
                continue
            }
            let child = openat(folder, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
            guard child >= 0 else { continue }  // swapped for a link meanwhile
            defer { close(child) }
            try collect(in: child, prefix: relative + "/", into: &found)
        }
    }

    /// The names in an open folder, sorted; names that are not UTF-8 are left out (no path
    /// of Reverie's can name them).
    private static func names(in folder: Int32) -> [String] {
        let copy = dup(folder)  // the stream takes the descriptor over
        guard copy >= 0 else { return [] }
        guard let stream = fdopendir(copy) else {
            close(copy)
            return []
        }
        defer { closedir(stream) }
        var names: [String] = []
        while let entry = readdir(stream) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(validatingCString: raw.baseAddress!.assumingMemoryBound(to: CChar.self))
            }
            guard let name, name != ".", name != ".." else { continue }
            names.append(name)
        }
        return names.sorted()
    }

    // MARK: - Helpers

    private static func writeAll(_ text: String, to descriptor: Int32) -> Int32 {
        var text = text
        return text.withUTF8 { buffer -> Int32 in
            guard let base = buffer.baseAddress else { return 0 }
            var offset = 0
            while offset < buffer.count {
                let written = Glibc.write(descriptor, base + offset, buffer.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    return errno
                }
                offset += written
            }
            return 0
        }
    }

    private static func link(_ path: RepoPath, at prefix: String) -> MemoryError {
        .invalidPath(
            path: path.value,
            reason: "'\(prefix)' is a symbolic link, and the memory tool never follows links; "
                + "use the path of the file it points to")
    }

    private static func describe(_ code: Int32) -> String {
        String(cString: strerror(code))
    }
}
