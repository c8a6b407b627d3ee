import Git
import Memory
import MemoryTool

/// One memory command of an agent that may write: what it read, what it changed, and the
/// commits that follow. `MemoryServer` makes one per call and uses it on its actor only.
///
/// Before the first change to a path, two things are made sure of. The file must still be
/// what the command read (else a person is saving it right now, and the agent's change,
/// computed from the older text, is refused). And a person's edit to it that is not
/// committed yet is committed first, on its own and without the agent's trailer, as the
/// daemon would have: the agent's commit then holds only the agent's change, and the
/// person's edit is in history under the person's name (docs/architecture.md).
final class AgentWrite {
    private let repository: Repository
    private let agent: AgentName
    /// The text each path had when the command last read it (nil: no file).
    private var seen: [RepoPath: String?] = [:]
    /// Paths whose pending edits were looked at already in this command.
    private var flushed: Set<RepoPath> = []
    /// Paths written or deleted, in order, each once.
    private(set) var touched: [String] = []
    /// The commit of a person's edits made before the agent's change, if one was needed.
    private(set) var personsCommit: ObjectID?

    init(repository: Repository, agent: AgentName) {
        self.repository = repository
        self.agent = agent
    }

    /// Notes what the command read at `path`.
    func noteRead(_ path: RepoPath, _ text: String?) {
        seen[path] = .some(text)
    }

    /// Checks and prepares `path` before the command changes it; `now` is its text on disk.
    func willChange(_ path: RepoPath, now: String?) throws(MemoryError) {
        if let expected = seen[path], expected != now {
            throw .io(
                path: path.value,
                message: "it changed on disk while this command ran (a person is editing it?), "
                    + "so nothing was written to it; view it again and repeat the change")
        }
        guard flushed.insert(path).inserted else { return }
        do {
            guard !(try repository.pendingPaths(only: [path.value])).isEmpty else { return }
            let agent = self.agent
            let commit = try repository.commitWorkingTree(paths: [path.value]) { changes in
                CommitMessage.forEdits(changes) + "\n\nCommitted before an edit by the agent \(agent) (reverie mcp).\n"
            }
            personsCommit = commit ?? personsCommit
        } catch {
            throw .io(
                path: path.value,
                message: "it holds a person's edit that is not committed yet, and committing "
                    + "that first failed (\(error)), so nothing was written to it")
        }
    }

    /// Notes that the command wrote or deleted `path`.
    func didChange(_ path: RepoPath) {
        if !touched.contains(path.value) { touched.append(path.value) }
    }

    /// Commits `paths` as they are on disk to `main` with the daemon's compare-and-swap, the
    /// agent named in a trailer. Nil when they already match `main`.
    func commit(_ paths: [String]) throws(GitError) -> ObjectID? {
        let agent = self.agent
        return try repository.commitWorkingTree(paths: paths) { changes in Self.message(for: changes, agent: agent) }
    }

    /// The daemon's message for these changes ("Update notes.md"), with the agent's trailer.
    static func message(for changes: [EditedPath], agent: AgentName) -> String {
        var message = CommitMessage.forEdits(changes)
        while message.last?.isNewline == true { message.removeLast() }
        return message + "\n\n" + ReverieTrailer.agent.line(agent.value) + "\n"
    }
}
