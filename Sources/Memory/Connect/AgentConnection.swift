import Foundation

/// What makes an agent read the memory: an `@…/MEMORY.md` import in CLAUDE.md for Claude
/// Code, a marked block in AGENTS.md for Codex, and `reverie mcp` among their MCP servers.
/// Every edit is planned first (to be shown or written), leaves a person's text and other
/// servers byte for byte as they were, and is undone by the same call with `remove`.
public struct AgentConnection: Sendable {
    /// The agents Reverie connects to, named as `reverie connect` takes them.
    public enum Agent: String, Sendable, CaseIterable {
        case claudeCode = "claude-code"
        case codex
    }

    /// One file to change: its text before (nil: absent) and after (nil: delete it).
    public struct Edit: Sendable, Equatable {
        /// The file to change.
        public let path: String
        /// Its text now; nil when it does not exist.
        public let before: String?
        /// Its text after the edit; nil to delete it.
        public let after: String?
        /// Whether the edit changes anything.
        public var changes: Bool { before != after }
    }

    /// The agent to connect.
    public let agent: Agent
    /// The memory repo, absolute.
    public let memory: String
    /// The project whose files are changed, or nil for the user's own (`--user`).
    public let project: String?
    /// The home folder, where the user's own settings are when no project is given.
    public let home: String
    /// `CLAUDE_CONFIG_DIR` / `CODEX_HOME`, when set.
    public let environment: [String: String]
    /// The `reverie` an MCP client starts; nil: no MCP server is configured.
    public let reverie: String?
    /// The memory is Claude Code's own auto memory, whose index it loads into every session:
    /// an import in CLAUDE.md would load it twice.
    public let isClaudeCodeAutoMemory: Bool

    /// A connection of `agent` to the memory repo `memory`; nothing is read or written until planned.
    public init(
        agent: Agent, memory: String, project: String?, home: String, environment: [String: String] = [:],
        reverie: String?, isClaudeCodeAutoMemory: Bool = false
    ) {
        self.agent = agent
        self.memory = memory
        self.project = project
        self.home = home
        self.environment = environment
        self.reverie = reverie
        self.isClaudeCodeAutoMemory = isClaudeCodeAutoMemory
    }

    static let begin = "<!-- reverie:begin · managed by `reverie connect`; `reverie connect --remove` takes it out -->"
    static let end = "<!-- reverie:end -->"

    /// The files the connection writes, and the part Reverie owns in each.
    /// With `remove`, every part connect may ever have added, so a block written before
    /// the memory became Claude Code's auto memory still goes.
    func parts(remove: Bool) -> [(path: String, part: Part)] {
        var parts: [(String, Part)] = []
        switch agent {
        case .claudeCode:
            let folder =
                project ?? environment["CLAUDE_CONFIG_DIR"].flatMap { $0.isEmpty ? nil : $0 } ?? home + "/.claude"
            if remove || !isClaudeCodeAutoMemory {
                parts.append(
                    (
                        folder + "/CLAUDE.md",
                        .block(
                            MarkedBlock(
                                begin: Self.begin, end: Self.end,
                                body:
                                    "Long-term memory, versioned in git by Reverie (edit it like any file; dreams are reviewed):\n@\(memory)/MEMORY.md"
                            ))
                    ))
            }
            if let reverie {
                let file = project.map { $0 + "/.mcp.json" } ?? home + "/.claude.json"
                parts.append(
                    (
                        file,
                        .server(
                            JSONServerEntry(name: "reverie", value: Self.serverValue(reverie: reverie, memory: memory)))
                    ))
            }
        case .codex:
            let folder = project ?? environment["CODEX_HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? home + "/.codex"
            parts.append(
                (
                    folder + "/AGENTS.md",
                    .block(
                        MarkedBlock(
                            begin: Self.begin, end: Self.end,
                            body:
                                "## Memory\n\nLong-term memory for this work lives in \(memory) (Markdown, versioned in git by Reverie). "
                                + "Read \(memory)/MEMORY.md first: it says which file holds what."))
                ))
        }
        return parts
    }

    enum Part {
        case block(MarkedBlock)
        case server(JSONServerEntry)
    }

    static func serverValue(reverie: String, memory: String) -> String {
        struct Server: Encodable {
            let command: String
            let args: [String]
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let data = (try? encoder.encode(Server(command: reverie, args: ["-C", memory, "mcp"]))) ?? Data()
        return String(decoding: data, as: UTF8.self)
    }

    /// The edits connecting (or, with `remove`, disconnecting) would make, read from disk.
    public func plan(remove: Bool) throws(MemoryError) -> [Edit] {
        var edits: [Edit] = []
        for (path, part) in parts(remove: remove) {
            var before: String?
            if FileManager.default.fileExists(atPath: path) {
                guard let data = FileManager.default.contents(atPath: path),
                    let text = String(data: data, encoding: .utf8)
                else {
                    throw .io(path: path, message: "cannot read it as UTF-8 text; fix it, then connect again")
                }
                before = text
            }
            let current = before ?? ""
            var after: String?
            switch (part, remove) {
            case (.block(let block), false): after = block.added(to: current)
            case (.block(let block), true): after = before.map { block.removed(from: $0) ?? $0 }
            case (.server(let entry), false):
                do { after = try entry.added(to: current) } catch {
                    throw .io(path: path, message: error.description)
                }
            case (.server(let entry), true): after = before.map { entry.removed(from: $0) ?? $0 }
            }
            // A file Reverie's part alone made goes again as a whole.
            if remove, after == "", before != "" { after = nil }
            edits.append(Edit(path: path, before: before, after: after))
        }
        return edits
    }

    /// Writes the edits: each file whole, through a temporary file renamed over it.
    public static func apply(_ edits: [Edit]) throws(MemoryError) {
        for edit in edits where edit.changes {
            do {
                guard let after = edit.after else {
                    try FileManager.default.removeItem(atPath: edit.path)
                    continue
                }
                let folder = (edit.path as NSString).deletingLastPathComponent
                try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
                // A settings file may hold tokens (~/.claude.json is the user's alone): its mode stays.
                let mode = try? FileManager.default.attributesOfItem(atPath: edit.path)[.posixPermissions]
                try Data(after.utf8).write(to: URL(fileURLWithPath: edit.path), options: .atomic)
                if let mode {
                    try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: edit.path)
                }
            } catch {
                throw .io(path: edit.path, message: "\(error.localizedDescription); nothing else was changed after it")
            }
        }
    }
}
