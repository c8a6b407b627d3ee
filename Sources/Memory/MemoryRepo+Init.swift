import Foundation
import Git

extension MemoryRepo {
    /// What `reverie init` did.
    public struct InitReport: Sendable, Encodable {
        /// The memory repo's folder.
        public let path: String
        /// A new git repository was made (rather than an existing one adopted).
        public let createdRepository: Bool
        /// Files Reverie wrote or extended.
        public let wroteFiles: [String]
        /// The commit that recorded them, if anything needed committing.
        public let commit: String?
        /// Uncommitted changes of the person's that were left for `reverie watch` to commit.
        public let pendingLeft: [String]
    }

    /// Lines of `.gitignore` that keep editor and system temp files out of memory.
    static let ignoredTempFiles = ["*.swp", "*.swx", "*.swo", "*~", "4913", ".#*", "\\#*#", ".DS_Store"]

    /// Makes `path` a memory repo: a new folder and repository, or an existing repository
    /// adopted as it is. Writes `.reverie/config.toml` and the temp-file rules of
    /// `.gitignore` when missing, then commits. Running it again changes nothing.
    ///
    /// An existing repository is adopted only when it is on `main` (or has no commits yet,
    /// whatever its first branch is called): Reverie never renames or moves a person's branch.
    ///
    /// - Parameters:
    ///   - settings: settings a new config file sets rather than comments out (`section.key`
    ///     to a TOML value); an existing config file is left as it is.
    ///   - ignoring: more `.gitignore` lines, with the comment that says why.
    public static func initialize(
        at path: String, author: Signature? = nil, settings: [String: String] = [:],
        ignoring: (comment: String, lines: [String])? = nil
    ) throws(MemoryError) -> (MemoryRepo, InitReport) {
        let absolute = URL(fileURLWithPath: path).standardizedFileURL.path
        var isFolder: ObjCBool = false
        if FileManager.default.fileExists(atPath: absolute, isDirectory: &isFolder), !isFolder.boolValue {
            throw .cannotAdopt(path: absolute, reason: "it is a file, not a folder")
        }
        let existing = FileManager.default.fileExists(atPath: absolute + "/.git")
        let repository: Repository
        do {
            repository = existing ? try Repository.open(at: absolute) : try Repository.create(at: absolute)
        } catch {
            throw .git(error)
        }
        let memory = MemoryRepo(repository: repository)
        let hadHistory = try memory.prepareHead()

        var wrote: [String] = []
        if try memory.writeConfigIfMissing(ReverieConfig.template(setting: settings)) {
            wrote.append(ReverieConfig.path)
        }
        let config = try memory.config()  // a broken existing config is reported now, not at the first dream
        var ignoreRules = [
            (
                comment: "Editor and system temp files are never memory (added by reverie init).",
                lines: ignoredTempFiles
            )
        ]
        if let ignoring { ignoreRules.append(ignoring) }
        if try memory.addIgnoreRules(ignoreRules) { wrote.append(".gitignore") }

        let pending: [String]
        do { pending = try repository.pendingPaths() } catch { throw .git(error) }
        // A first commit takes the whole folder; on a repo with history only Reverie's own
        // files, and the person's pending edits are left to the daemon's usual commits.
        let toCommit = hadHistory ? pending.filter { wrote.contains($0) } : pending
        let message =
            hadHistory
            ? "Set up Reverie\n\nAdd \(wrote.joined(separator: ", ")).\n"
            : "Start memory repo\n\nCommitted by `reverie init`.\n"
        let commit: ObjectID?
        do {
            commit =
                toCommit.isEmpty
                ? nil
                : try repository.commitWorkingTree(paths: toCommit, message: message, author: author)
        } catch {
            throw .git(error)
        }
        // The person made these settings here; settings that came with the repo (a clone)
        // wait for `reverie trust`.
        if wrote.contains(ReverieConfig.path) {
            let main: ObjectID?
            do { main = try repository.tip(ofBranch: Repository.mainBranch) } catch { throw .git(error) }
            try SettingsTrust(memory: memory).accept(config, main: main)
        }
        let report = InitReport(
            path: absolute, createdRepository: !existing, wroteFiles: wrote,
            commit: commit?.hex, pendingLeft: pending.filter { !toCommit.contains($0) })
        return (memory, report)
    }

    /// Checks that HEAD is (or can become) `main`; returns whether the repo has history.
    private func prepareHead() throws(MemoryError) -> Bool {
        do {
            if let state = repository.operationInProgress() {
                throw MemoryError.cannotAdopt(
                    path: root, reason: "a git \(state) is in progress; finish or abort it first")
            }
            switch try repository.head() {
            case .unborn(let name):
                if name != Repository.mainBranch { try repository.setUnbornHead(branch: Repository.mainBranch) }
                return try repository.tip(ofBranch: Repository.mainBranch) != nil
            case .branch(Repository.mainBranch, _):
                return true
            case .branch(let name, _):
                if try repository.tip(ofBranch: Repository.mainBranch) != nil {
                    throw MemoryError.cannotAdopt(
                        path: root, reason: "HEAD is on '\(name)'; run `git -C \(root) checkout main` and try again")
                }
                throw MemoryError.cannotAdopt(
                    path: root,
                    reason: "its history is on branch '\(name)' and Reverie keeps memory on 'main'; "
                        + "rename it with `git -C \(root) branch -m \(name) main` and run `reverie init` again")
            case .detached(let id):
                throw MemoryError.cannotAdopt(
                    path: root, reason: "HEAD is detached at \(id.short); run `git -C \(root) checkout main` first")
            }
        } catch let error as MemoryError {
            throw error
        } catch let error as GitError {
            throw .git(error)
        } catch {
            throw .io(path: root, message: "\(error)")
        }
    }

    private func writeConfigIfMissing(_ template: String) throws(MemoryError) -> Bool {
        let file = "\(root)/\(ReverieConfig.path)"
        guard !FileManager.default.fileExists(atPath: file) else { return false }
        try write(template, to: file, display: ReverieConfig.path)
        return true
    }

    /// Adds the rules that `.gitignore` lacks, each group under its comment; returns whether it changed.
    private func addIgnoreRules(_ groups: [(comment: String, lines: [String])]) throws(MemoryError) -> Bool {
        let file = "\(root)/.gitignore"
        let current = (try? String(contentsOfFile: file, encoding: .utf8)) ?? ""
        let present = Set(current.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) })
        var text = current
        for group in groups {
            let missing = group.lines.filter { !present.contains($0) }
            guard !missing.isEmpty else { continue }
            if !text.isEmpty && !text.hasSuffix("\n") { text += "\n" }
            if !text.isEmpty { text += "\n" }
            text += "# \(group.comment)\n" + missing.joined(separator: "\n") + "\n"
        }
        guard text != current else { return false }
        try write(text, to: file, display: ".gitignore")
        return true
    }

    private func write(_ text: String, to file: String, display: String) throws(MemoryError) {
        do {
            try FileManager.default.createDirectory(
                atPath: (file as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try Data(text.utf8).write(to: URL(fileURLWithPath: file), options: .atomic)
        } catch {
            throw .io(path: display, message: "cannot write: \(error.localizedDescription)")
        }
    }
}
