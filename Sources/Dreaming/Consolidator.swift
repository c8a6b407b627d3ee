import Foundation
import Git
import Memory
import Sessions

/// Turns new sessions and today's memory into a dream plan. A consolidator only proposes:
/// the engine checks the plan against the guardrails and writes it.
public protocol Consolidator: Sendable {
    /// Named in every dream commit: "builtin/1", "anthropic/claude-…".
    var name: String { get }
    /// Proposes changes for `input`; nothing is written. Throws when it cannot plan at all.
    func plan(_ input: DreamInput) async throws -> DreamPlan
}

/// Memory as `main`'s tip holds it (not the working tree: a dream is built from git).
public struct MemorySnapshot: Sendable {
    /// `main`'s tip the memory was read from; nil before the first commit.
    public let commit: ObjectID?
    /// Every memory file (`*.md` outside `.reverie/`), by path.
    public let files: [MemoryFile]
    /// Every file's text, Markdown or not, by path.
    public let texts: [String: String]

    /// A snapshot of `files` and `texts` as of `commit`.
    public init(commit: ObjectID?, files: [MemoryFile], texts: [String: String]) {
        self.commit = commit
        self.files = files
        self.texts = texts
    }
}

/// What a consolidator sees.
public struct DreamInput: Sendable {
    /// The dream's id.
    public let id: String
    /// Memory as `main`'s tip holds it.
    public let memory: MemorySnapshot
    /// The sessions to learn from, each with only the events no dream has read.
    public let sessions: [Session]
    /// Files people changed on `main` since the last dream: authoritative, a dream must not
    /// undo them.
    public let humanEdits: [String]
    /// When sessions last bore out each entry Reverie wrote (its line, trimmed), from the
    /// records of the dreams on `main`: what `archive_after_days` measures.
    public var reinforced: [String: Date] = [:]

    /// The input of dream `id`.
    public init(id: String, memory: MemorySnapshot, sessions: [Session], humanEdits: [String]) {
        self.id = id
        self.memory = memory
        self.sessions = sessions
        self.humanEdits = humanEdits
    }
}
