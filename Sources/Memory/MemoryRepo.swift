import Foundation
import Git

/// The memory folder: a git repository on `main` holding Markdown files, with Reverie's
/// settings in `.reverie/` and its machine-local state under `.git/reverie/`.
public final class MemoryRepo {
    /// The git repository the memory lives in; its working tree is the memory folder.
    public let repository: Repository

    /// The folder people edit.
    public var root: String { repository.workingDirectory }

    /// The memory repo in `repository`'s working tree.
    public init(repository: Repository) {
        self.repository = repository
    }

    /// Opens the memory repo around `path` (the folder itself or a parent).
    public static func open(discoveringFrom path: String) throws(MemoryError) -> MemoryRepo {
        do {
            return MemoryRepo(repository: try Repository.discover(from: path))
        } catch {
            throw .git(error)
        }
    }

    /// Reverie's settings for this repo, as in the working tree.
    public func config() throws(MemoryError) -> ReverieConfig {
        try ReverieConfig.load(fromRepo: root)
    }

    /// Where Reverie keeps state that belongs to this machine, not to the team: cursors,
    /// locks. Inside `.git`, so it is never committed and never watched.
    public var stateDirectory: String { repository.gitDirectory + "/reverie" }

    // MARK: - Memory files

    /// Folders that hold Reverie's own files, not memory.
    static let reservedFolders: Set<String> = [".git", ".reverie"]

    /// Every memory file in the working tree: `*.md`, outside `.git/` and `.reverie/`, not
    /// ignored by git. Symbolic links to folders are not followed (they could lead out).
    public func memoryFiles() throws(MemoryError) -> [RepoPath] {
        var found: [RepoPath] = []
        try collect(folder: "", into: &found)
        return found.sorted()
    }

    private func collect(folder: String, into found: inout [RepoPath]) throws(MemoryError) {
        let absolute = folder.isEmpty ? root : "\(root)/\(folder)"
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: absolute)
        } catch {
            throw .io(path: folder.isEmpty ? "." : folder, message: "cannot list: \(error.localizedDescription)")
        }
        for name in names.sorted() {
            if folder.isEmpty, Self.reservedFolders.contains(name) { continue }
            let relative = folder.isEmpty ? name : "\(folder)/\(name)"
            var info = stat()
            guard lstat("\(root)/\(relative)", &info) == 0 else { continue }  // vanished meanwhile
            let kind = info.st_mode & S_IFMT
            guard kind == S_IFDIR || (kind == S_IFREG && name.hasSuffix(".md")) else { continue }
            if try ignored(relative) { continue }
            if kind == S_IFDIR {
                try collect(folder: relative, into: &found)
            } else if let path = try? RepoPath(relative) {
                found.append(path)
            }
        }
    }

    private func ignored(_ path: String) throws(MemoryError) -> Bool {
        try isIgnored(path)
    }

    /// Whether git's ignore rules (`.gitignore`, `.git/info/exclude`, the global excludes)
    /// leave `path` out: such a file is not memory, and a working-tree commit skips it.
    public func isIgnored(_ path: String) throws(MemoryError) -> Bool {
        do {
            return try repository.isIgnored(path)
        } catch {
            throw .git(error)
        }
    }

    /// Reads and parses one memory file from the working tree.
    public func load(_ path: RepoPath) throws(MemoryError) -> MemoryFile {
        let checked = try RepoPath.resolve(path.value, in: root)
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: "\(root)/\(checked.value)"))
        } catch {
            throw .io(path: path.value, message: "cannot read: \(error.localizedDescription)")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw .io(path: path.value, message: "is not UTF-8 text")
        }
        return try MemoryFile.parse(path: checked, text: text)
    }
}
