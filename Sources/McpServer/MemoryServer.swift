import Foundation
import Git
import Logging
import MCP
import Memory
import MemoryTool

/// What `reverie mcp` does for one client: the memory tool over the working tree, search and
/// history, with every change committed at once.
///
/// An actor: the MCP library runs requests concurrently, and each write (check, write to
/// disk, commit) must finish before the next begins. A write is committed as the daemon
/// commits an edit (only the changed paths, a compare-and-swap on `main`, author from git
/// config, a message naming the files) plus a `Reverie-Agent:` trailer naming the client, so
/// a running daemon finds the file already matching `main` and commits nothing again.
public actor MemoryServer {
    /// The trailer naming the agent on the commits of its changes.

    /// The memory repo's folder.
    public nonisolated let root: String
    private let memory: MemoryRepo
    private let disk: DiskMemory
    private let limits: MemoryToolLimits
    private let logger: Logger
    /// How long a write waits for another git process to let go of `.git/index.lock`.
    private let lockWait: Duration
    /// What that wait sleeps on.
    private let clock: any Clock<Duration>
    /// The client, as it named itself in its initialize request.
    public private(set) var agent = AgentName.unknown
    /// Paths written whose commit failed: committed with the next write.
    private var uncommitted: [String] = []
    /// Calls under way.
    private var running = 0

    /// Serves the memory repo around `folder`; a write waits up to `lockWait` on `clock` for a lock.
    /// - Throws: when there is no memory repo there, or its settings cannot be read.
    public init(
        folder: String, logger: Logger, lockWait: Duration = .seconds(3),
        clock: any Clock<Duration> = ContinuousClock()
    ) throws(MemoryError) {
        memory = try MemoryRepo.open(discoveringFrom: folder)
        root = memory.root
        let config = try memory.config()
        disk = DiskMemory(memory: memory)
        // The guardrails' file size, so an agent's file is never one a dream may not touch.
        limits = MemoryToolLimits(
            maxFileBytes: config.guardrails.maxFileKilobytes * 1024,
            maxViewCharacters: MemoryToolLimits.standard.maxViewCharacters)
        self.logger = logger
        self.lockWait = lockWait
        self.clock = clock
    }

    /// Takes the client's name from its initialize request.
    public func setAgent(clientName: String) {
        agent = AgentName(clientName: clientName)
        logger.info("Serving \(memory.root) to \(agent) over MCP")
    }

    /// Runs one tool call; every problem is an error result the agent reads.
    public func call(_ tool: String, arguments: [String: Value]) async -> ToolResult {
        running += 1
        defer { running -= 1 }
        switch tool {
        case ToolCatalog.memory: return await memoryCommand(arguments)
        case ToolCatalog.search: return search(arguments)
        case ToolCatalog.history: return history(arguments)
        default:
            return ToolResult(
                text: "Error: There is no tool \(Self.quoted(tool)). The tools are "
                    + ToolCatalog.tools.map(\.name).joined(separator: ", ") + ".", isError: true)
        }
    }

    /// Returns once no call is under way (or after `limit`), so that the process does not
    /// end in the middle of a write or before its answer is sent.
    public func waitUntilIdle(limit: Duration = .seconds(30)) async {
        let deadline = ContinuousClock.now + limit
        while running > 0, ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(10))
        }
    }

    // MARK: - memory

    private func memoryCommand(_ arguments: [String: Value]) async -> ToolResult {
        // The MCP library reads a string that is a whole `data:` URL as bytes; its text is gone.
        if let field = arguments.first(where: { if case .data = $0.value { true } else { false } })?.key {
            return ToolResult(
                text: "Error: Parameter `\(field)` is a data: URL, which the MCP transport turns into "
                    + "bytes; no change was made. Send it as plain text (for example with a line before it).",
                isError: true)
        }
        let command: MemoryToolCommand
        do {
            command = try MemoryToolCommand(json: try JSONEncoder().encode(arguments))
        } catch let error as MemoryToolInputError {
            return ToolResult(text: error.message, isError: true)
        } catch {
            return ToolResult(text: "Error: The memory tool input cannot be read: \(error)", isError: true)
        }
        if case .view = command.action {
            var tool = MemoryTool(storage: disk, limits: limits)
            return tool.run(command)
        }
        if let busy = await waitUntilFree() {
            logger.notice("Refused \(Self.describe(command)): \(busy)")
            return ToolResult(text: "Error: No change was made: \(busy). Try again once it is done.", isError: true)
        }
        // From here on nothing awaits: the write and its commit finish before another call starts.
        return write(command)
    }

    private func write(_ command: MemoryToolCommand) -> ToolResult {
        let session = AgentWrite(repository: memory.repository, agent: agent)
        var tool = MemoryTool(storage: CommittingMemory(disk: disk, session: session), limits: limits)
        let result = tool.run(command)
        if let person = session.personsCommit {
            logger.info("Committed \(person.short): a person's edit, before \(agent)'s \(Self.describe(command))")
        }
        let paths = session.touched + uncommitted.filter { !session.touched.contains($0) }
        guard !paths.isEmpty else {
            logger.info("\(agent): \(Self.describe(command)): \(result.isError ? "refused" : "nothing to commit")")
            return result
        }
        do {
            let commit = try session.commit(paths)
            uncommitted = []
            let outcome = commit.map { "committed \($0.short)" } ?? "already committed (by the daemon?)"
            logger.info("\(agent): \(Self.describe(command)): \(outcome)")
            return result
        } catch {
            uncommitted = paths
            logger.error("\(agent): \(Self.describe(command)): written to disk but not committed: \(error)")
            return ToolResult(
                text: result.text + "\n\n[The change is on disk but is not committed yet: \(error). "
                    + "It is committed with your next change, or by `reverie watch` if it runs.]",
                isError: result.isError)
        }
    }

    /// Waits a little for a lock another git process holds; nil when memory may be written,
    /// else why not.
    private func waitUntilFree() async -> String? {
        let step = Duration.milliseconds(50)
        var waited = Duration.zero
        while true {
            let busy = busyReason()
            guard busy?.locked == true, waited < lockWait, !Task.isCancelled else { return busy?.reason }
            try? await clock.sleep(for: step)
            waited += step
        }
    }

    /// Why memory may not be written now: a person is using git, Reverie is moving main, or
    /// Claude Code is consolidating.
    private func busyReason() -> (reason: String, locked: Bool)? {
        let repository = memory.repository
        guard let head = try? repository.head() else { return ("the memory repo's HEAD cannot be read", false) }
        if head.branchName != Repository.mainBranch {
            return ("the memory repo is on \(head.description), not main (a person is using git there)", false)
        }
        if let operation = repository.operationInProgress() {
            return ("a git \(operation) is in progress in the memory repo", false)
        }
        if repository.isMovingMain { return ("Reverie is merging a dream or rolling one back", true) }
        if repository.isIndexLocked { return ("another git process holds .git/index.lock", true) }
        // A consolidation takes minutes, too long to wait on within one tool call.
        if let holder = ConsolidationLock.holder(root: memory.root) {
            return (holder + "; try again in a few minutes", false)
        }
        return nil
    }

    // MARK: - search

    private func search(_ arguments: [String: Value]) -> ToolResult {
        let query: String
        let limit: Int
        do throws(MemoryToolInputError) {
            query = try Self.string("query", in: arguments, tool: ToolCatalog.search)
            limit = try Self.limit(
                in: arguments, tool: ToolCatalog.search, standard: MemorySearch.defaultLimit,
                max: MemorySearch.maxLimit)
        } catch {
            return ToolResult(text: error.message, isError: true)
        }
        let search = MemorySearch(query: query)
        guard !search.words.isEmpty else {
            return ToolResult(
                text: "Error: Parameter `query` holds no words; give the words to look for, "
                    + #"for example {"query": "deploy staging"}."#, isError: true)
        }
        do throws(MemoryError) {
            var files: [RepoPath: String] = [:]
            for path in try disk.list(under: nil).keys where Self.isMemory(path) {
                // A file that cannot be read as text (a link swapped in, not UTF-8) is no match.
                if let text = try? disk.read(path) { files[path] = text }
            }
            return ToolResult(text: search.answer(in: files, limit: limit), isError: false)
        } catch {
            return ToolResult(text: "Error: Memory cannot be searched: \(error)", isError: true)
        }
    }

    /// A file the memory tool shows: Markdown, with no hidden name on its way.
    private static func isMemory(_ path: RepoPath) -> Bool {
        path.value.hasSuffix(".md") && !path.value.split(separator: "/").contains { $0.hasPrefix(".") }
    }

    // MARK: - history

    private func history(_ arguments: [String: Value]) -> ToolResult {
        let path: RepoPath?
        let limit: Int
        do throws(MemoryToolInputError) {
            path = try MemoryToolCommand.memoryPath(try Self.string("path", in: arguments, tool: ToolCatalog.history))
            limit = try Self.limit(
                in: arguments, tool: ToolCatalog.history, standard: MemoryHistory.defaultLimit,
                max: MemoryHistory.maxLimit)
        } catch {
            return ToolResult(text: error.message, isError: true)
        }
        let repository = memory.repository
        do throws(GitError) {
            guard try repository.tip(ofBranch: Repository.mainBranch) != nil else {
                return ToolResult(text: "main has no commits yet.", isError: false)
            }
            let commits = try repository.history(of: path?.value ?? "", limit: limit)
            return ToolResult(
                text: MemoryHistory.answer(commits, of: MemoryToolCommand.shown(path), limit: limit),
                isError: false)
        } catch {
            return ToolResult(text: "Error: The history cannot be read: \(error)", isError: true)
        }
    }

    // MARK: - Arguments

    private static func string(
        _ name: String, in arguments: [String: Value], tool: String
    ) throws(MemoryToolInputError) -> String {
        switch arguments[name] {
        case .string(let text)?: return text
        case nil, .null?: throw MemoryToolInputError("Parameter `\(name)` is required for \(tool)")
        default: throw MemoryToolInputError("Parameter `\(name)` must be a string for \(tool)")
        }
    }

    /// `limit`, when given: a whole number from 1 to `max` (also `5.0` or `"5"`, as models send).
    private static func limit(
        in arguments: [String: Value], tool: String, standard: Int, max: Int
    ) throws(MemoryToolInputError) -> Int {
        let value: Int?
        switch arguments["limit"] {
        case nil, .null?: return standard
        case .int(let number)?: value = number
        case .double(let number)?: value = number.rounded() == number ? Int(exactly: number) : nil
        case .string(let text)?: value = Int(text.trimmingCharacters(in: .whitespaces))
        default: value = nil
        }
        guard let value, (1...max).contains(value) else {
            throw MemoryToolInputError("Parameter `limit` must be a whole number from 1 to \(max) for \(tool)")
        }
        return value
    }

    /// A command in a log line, without the text it carries.
    private static func describe(_ command: MemoryToolCommand) -> String {
        switch command.action {
        case .view(let path, _): "view \(quoted(path))"
        case .create(let path, _): "create \(quoted(path))"
        case .strReplace(let path, _, _): "str_replace \(quoted(path))"
        case .insert(let path, _, _): "insert \(quoted(path))"
        case .delete(let path): "delete \(quoted(path))"
        case .rename(let old, let new): "rename \(quoted(old)) to \(quoted(new))"
        }
    }

    /// Text from the client, fit for one line of a log or an answer.
    private static func quoted(_ text: String) -> String {
        let line = String(
            text.prefix(200).unicodeScalars.map { $0.value < 0x20 || $0.value == 0x7F ? "?" : Character($0) })
        return "'\(line)'"
    }
}
