import Foundation

/// Where Claude Code keeps a project's auto memory and its transcripts, found as Claude Code
/// finds them, so `reverie init --claude-code` versions the folder Claude Code really writes.
///
/// The memory folder is, first to last: `CLAUDE_COWORK_MEMORY_PATH_OVERRIDE`; the
/// `autoMemoryDirectory` of the managed, the project's local or the user's settings (never
/// the project's shared settings, which anyone who commits to the project could set);
/// else `<config>/projects/<key>/memory`, where `<config>` is `CLAUDE_CONFIG_DIR` or
/// `~/.claude` and `<key>` is the project's canonical git root with every character but
/// ASCII letters and digits turned into `-` (all worktrees of a repository share one key).
/// Transcripts are `<config>/projects/<key>/*.jsonl`, whatever the memory folder.
public struct AutoMemoryLocation: Sendable, Equatable {
    /// The folder Claude Code was started in, or its repository's main worktree.
    public let projectRoot: String
    /// `<config>/projects/<key>`: the project's transcripts.
    public let projectFolder: String
    /// The auto memory folder (it may not exist yet: Claude Code makes it on its first memory).
    public let memoryFolder: String
    /// What chose the memory folder, for a person to check: "Claude Code's default", or the
    /// setting or variable that moved it.
    public let chosenBy: String

    /// Claude Code cuts longer keys and appends a hash of the path.
    static let longestKey = 200

    /// Where Claude Code reads managed settings on Linux.
    public static let managedSettings = "/etc/claude-code/managed-settings.json"

    /// Finds the auto memory of the project at `project` (a folder inside it).
    ///
    /// - Parameters:
    ///   - environment: the variables Claude Code would see (HOME, CLAUDE_CONFIG_DIR, …).
    ///   - managedSettings: the managed settings file (a test points it elsewhere).
    public static func find(
        project: String, environment: [String: String], managedSettings: String = AutoMemoryLocation.managedSettings
    ) throws(MemoryError) -> AutoMemoryLocation {
        guard let home = environment["HOME"], !home.isEmpty else {
            throw .io(
                path: project, message: "HOME is not set, so Claude Code's folder (~/.claude) cannot be found; set HOME"
            )
        }
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: project, isDirectory: &isFolder), isFolder.boolValue else {
            throw .io(path: project, message: "is not a folder; give the project folder Claude Code runs in")
        }
        let root = canonicalRoot(of: realPath(project))
        let config = nonEmpty(environment["CLAUDE_CONFIG_DIR"]).map { expand($0, home: home) } ?? home + "/.claude"
        let projectFolder = try projectFolder(for: root, in: config + "/projects")

        let protected = [home, root, config]
        if let override = nonEmpty(environment["CLAUDE_COWORK_MEMORY_PATH_OVERRIDE"]) {
            let chosenBy = "CLAUDE_COWORK_MEMORY_PATH_OVERRIDE"
            let folder = try absolute(override, home: home, setting: chosenBy)
            try requireOwnFolder(folder, protecting: protected, chosenBy: chosenBy)
            return AutoMemoryLocation(
                projectRoot: root, projectFolder: projectFolder, memoryFolder: folder, chosenBy: chosenBy)
        }
        // The first settings file that names a folder wins, most authoritative first.
        for file in [managedSettings, root + "/.claude/settings.local.json", config + "/settings.json"] {
            if let setting = try autoMemoryDirectory(in: file) {
                let chosenBy = "autoMemoryDirectory in \(file)"
                let folder = try absolute(setting, home: home, setting: chosenBy)
                try requireOwnFolder(folder, protecting: protected, chosenBy: chosenBy)
                return AutoMemoryLocation(
                    projectRoot: root, projectFolder: projectFolder, memoryFolder: folder, chosenBy: chosenBy)
            }
        }
        return AutoMemoryLocation(
            projectRoot: root, projectFolder: projectFolder, memoryFolder: projectFolder + "/memory",
            chosenBy: "Claude Code's default")
    }

    /// The project key: every UTF-16 unit that is not an ASCII letter or digit becomes `-`,
    /// as JavaScript's `replace(/[^a-zA-Z0-9]/g, "-")` does.
    public static func key(for path: String) -> String {
        String(
            path.utf16.map { unit -> Character in
                switch unit {
                case 0x30...0x39, 0x41...0x5A, 0x61...0x7A: return Character(Unicode.Scalar(UInt8(unit)))
                default: return "-"
                }
            })
    }

    /// `<projects>/<key>`; a key cut to 200 characters carries a hash Reverie does not
    /// compute, so the one folder Claude Code made with that prefix is taken.
    static func projectFolder(for root: String, in projects: String) throws(MemoryError) -> String {
        let key = key(for: root)
        guard key.count > longestKey else { return projects + "/" + key }
        let prefix = String(key.prefix(longestKey)) + "-"
        let names = (try? FileManager.default.contentsOfDirectory(atPath: projects)) ?? []
        let matches = names.filter { $0.hasPrefix(prefix) }
        guard matches.count == 1 else {
            throw .io(
                path: root,
                message: "its path is longer than \(longestKey) characters, so Claude Code names its folder "
                    + "with a hash; \(matches.isEmpty ? "none" : "more than one") of \(projects) matches. Run Claude Code in the "
                    + "project once so its folder exists, then run this again")
        }
        return projects + "/" + matches[0]
    }

    /// The main worktree of the repository holding `folder`, or `folder` outside any.
    static func canonicalRoot(of folder: String) -> String {
        var current = folder
        while true {
            let dotGit = current + "/.git"
            var isFolder: ObjCBool = false
            if FileManager.default.fileExists(atPath: dotGit, isDirectory: &isFolder) {
                if isFolder.boolValue { return current }
                // A linked worktree: `.git` says `gitdir: <main>/.git/worktrees/<name>`, whose
                // `commondir` leads to the main repository's .git.
                if let text = try? String(contentsOfFile: dotGit, encoding: .utf8),
                    let line = text.split(separator: "\n").first, line.hasPrefix("gitdir:")
                {
                    let gitDir = resolve(
                        line.dropFirst("gitdir:".count).trimmingCharacters(in: .whitespaces), from: current)
                    let common =
                        (try? String(contentsOfFile: gitDir + "/commondir", encoding: .utf8))
                        .map { resolve($0.trimmingCharacters(in: .whitespacesAndNewlines), from: gitDir) } ?? gitDir
                    if (common as NSString).lastPathComponent == ".git" {
                        return (common as NSString).deletingLastPathComponent
                    }
                }
                return current
            }
            if current == "/" || current.isEmpty { return folder }
            current = (current as NSString).deletingLastPathComponent
        }
    }

    /// `autoMemoryDirectory` from a settings file; nil when the file or the key is absent.
    static func autoMemoryDirectory(in file: String) throws(MemoryError) -> String? {
        guard let data = FileManager.default.contents(atPath: file) else { return nil }
        let object: Any
        do {
            object = try JSONSerialization.jsonObject(with: data)
        } catch {
            throw .config(
                file: file, line: nil, key: nil,
                message:
                    "is not valid JSON, so whether it moves Claude Code's auto memory is unknown; fix it and run this again"
            )
        }
        guard let value = (object as? [String: Any])?["autoMemoryDirectory"] else { return nil }
        guard let folder = value as? String, !folder.isEmpty else {
            throw .config(file: file, line: nil, key: "autoMemoryDirectory", message: "must be a folder's path")
        }
        return folder
    }

    /// A setting may name any folder, and init makes it a repository whose first commit takes
    /// all it holds: never one holding the home folder, the project or Claude Code's folder
    /// (with its credentials), however a link leads there.
    private static func requireOwnFolder(_ folder: String, protecting: [String], chosenBy: String) throws(MemoryError) {
        let real = realPathOfExisting(folder)
        for protected in protecting.map(realPathOfExisting)
        where real == "/" || protected == real || protected.hasPrefix(real + "/") {
            throw .cannotAdopt(
                path: folder,
                reason: "it holds \(protected), and a memory repo commits everything in its "
                    + "folder; \(chosenBy) chose it: point it at a folder of its own")
        }
    }

    /// The real path of `path`, or of its deepest existing folder followed by the rest.
    private static func realPathOfExisting(_ path: String) -> String {
        var existing = URL(fileURLWithPath: path).standardizedFileURL.path
        var rest: [String] = []
        while access(existing, F_OK) != 0, existing != "/", !existing.isEmpty {
            rest.insert((existing as NSString).lastPathComponent, at: 0)
            existing = (existing as NSString).deletingLastPathComponent
        }
        let base = realPath(existing)
        return rest.isEmpty ? base : (base == "/" ? "" : base) + "/" + rest.joined(separator: "/")
    }

    private static func absolute(_ path: String, home: String, setting: String) throws(MemoryError) -> String {
        let expanded = expand(path, home: home)
        guard expanded.hasPrefix("/") else {
            throw .config(
                file: setting, line: nil, key: nil, message: "'\(path)' must be an absolute path or start with ~/")
        }
        return URL(fileURLWithPath: expanded).standardizedFileURL.path
    }

    private static func expand(_ path: String, home: String) -> String {
        path == "~" ? home : path.hasPrefix("~/") ? home + path.dropFirst(1) : path
    }

    private static func resolve(_ path: String, from folder: String) -> String {
        URL(fileURLWithPath: path.hasPrefix("/") ? path : folder + "/" + path).standardizedFileURL.path
    }

    private static func realPath(_ path: String) -> String {
        guard let resolved = realpath(path, nil) else { return URL(fileURLWithPath: path).standardizedFileURL.path }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    private static func nonEmpty(_ value: String?) -> String? {
        value.flatMap { $0.isEmpty ? nil : $0 }
    }
}
