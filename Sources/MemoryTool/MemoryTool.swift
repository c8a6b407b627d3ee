import Foundation
import Git
import Memory

/// Anthropic's memory tool (`memory_20250818`) over a `MemoryStorage`: the six commands
/// `view`, `create`, `str_replace`, `insert`, `delete` and `rename`, rooted at `/memories`,
/// answering in the texts Anthropic documents.
///
/// Everything the model sends is untrusted: every path passes the repo's path rules, pinned
/// memory stays as a person left it, files and views are bounded, and every refusal is an
/// error result that changes nothing. A value type with mutating commands: a consolidator
/// keeps one in its agent loop and reads `storage` (an `InMemoryMemory`) for the changes.
public struct MemoryTool<Storage: MemoryStorage> {
    /// The files the commands read and write.
    public var storage: Storage
    /// How large a file may grow and how much one view shows.
    public let limits: MemoryToolLimits

    /// The memory tool over `storage`, within `limits`.
    public init(storage: Storage, limits: MemoryToolLimits = .standard) {
        self.storage = storage
        self.limits = limits
    }

    /// Runs one command; never throws and never traps: every problem is an error result.
    public mutating func run(_ command: MemoryToolCommand) -> ToolResult {
        do throws(ToolFailure) {
            let text: String
            switch command.action {
            case .view(let path, let range): text = try view(path, range: range)
            case .create(let path, let fileText): text = try create(path, text: fileText)
            case .strReplace(let path, let old, let new): text = try replace(path, old: old, new: new)
            case .insert(let path, let line, let insertText): text = try insert(path, after: line, text: insertText)
            case .delete(let path): text = try delete(path)
            case .rename(let old, let new): text = try rename(old, to: new)
            }
            return ToolResult(text: text, isError: false)
        } catch {
            return ToolResult(text: error.text, isError: true)
        }
    }

    /// Reads the model's input (a JSON object; see `MemoryToolCommand.init(json:)`) and runs it.
    public mutating func run(json: Data) -> ToolResult {
        do {
            return run(try MemoryToolCommand(json: json))
        } catch {
            return ToolResult(text: error.message, isError: true)
        }
    }

    /// Reads the model's input from JSON text and runs it.
    public mutating func run(json: String) -> ToolResult { run(json: Data(json.utf8)) }

    // MARK: storage, with its errors as tool errors

    func read(_ path: MemoryToolPath) throws(ToolFailure) -> String? {
        guard let repoPath = path.repoPath else { return nil }
        do {
            return try storage.read(repoPath)
        } catch {
            throw ToolFailure(Texts.storage(error))
        }
    }

    /// Every file below `path`, hidden ones too, with its size.
    func files(under path: MemoryToolPath) throws(ToolFailure) -> [RepoPath: Int] {
        do {
            return try storage.list(under: path.repoPath)
        } catch {
            throw ToolFailure(Texts.storage(error))
        }
    }

    mutating func write(_ text: String, to path: MemoryToolPath) throws(ToolFailure) {
        guard let repoPath = path.repoPath else { return }
        do {
            try storage.write(text, to: repoPath)
        } catch {
            throw ToolFailure(Texts.storage(error))
        }
    }

    mutating func remove(_ path: MemoryToolPath) throws(ToolFailure) {
        guard let repoPath = path.repoPath else { return }
        do {
            try storage.delete(repoPath)
        } catch {
            throw ToolFailure(Texts.storage(error))
        }
    }

    /// Whether `path` is a folder: memory itself, or a path some file is below.
    func isFolder(_ path: MemoryToolPath) throws(ToolFailure) -> Bool {
        if path.isRoot { return true }
        return try !files(under: path).isEmpty
    }

    /// Throws when a folder on the way to `path` is a file.
    func checkParents(of path: MemoryToolPath) throws(ToolFailure) {
        guard let value = path.repoPath?.value else { return }
        for folder in TreePath.folders(above: value) {
            let parent = MemoryToolPath(try? RepoPath(String(folder)))
            if try read(parent) != nil { throw ToolFailure(Texts.parentIsFile(parent.shown, of: path.shown)) }
        }
    }

    /// Throws when `text` is over the size limit.
    func checkSize(_ text: String, at path: MemoryToolPath) throws(ToolFailure) {
        let bytes = text.utf8.count
        if bytes > limits.maxFileBytes {
            throw ToolFailure(Texts.tooLarge(path.shown, bytes: bytes, limit: limits.maxFileBytes))
        }
    }
}

extension MemoryTool: Sendable where Storage: Sendable {}
