import Foundation
import Git
import Memory
import Sessions

/// Turns new sessions and today's memory into a dream plan. A consolidator only proposes:
/// the engine checks the plan against the guardrails and writes it.
public protocol Consolidator: Sendable {
    /// Named in every dream commit: "builtin/1", "anthropic/claude-…".
    var name: String { get }
    func plan(_ input: DreamInput) async throws -> DreamPlan
}

/// Memory as `main`'s tip holds it (not the working tree: a dream is built from git).
public struct MemorySnapshot: Sendable {
    public let commit: ObjectID?
    /// Every memory file (`*.md` outside `.reverie/`), by path.
    public let files: [MemoryFile]
    /// Every file's text, Markdown or not, by path.
    public let texts: [String: String]

    public init(commit: ObjectID?, files: [MemoryFile], texts: [String: String]) {
        self.commit = commit
        self.files = files
        self.texts = texts
    }
}

/// What a consolidator sees.
public struct DreamInput: Sendable {
    public let id: String
    public let memory: MemorySnapshot
    public let sessions: [Session]
    /// Files people changed on `main` since the last dream: authoritative, a dream must not
    /// undo them.
    public let humanEdits: [String]
    /// When sessions last bore out each entry Reverie wrote (its line, trimmed), from the
    /// records of the dreams on `main`: what `archive_after_days` measures.
    public var reinforced: [String: Date] = [:]

    public init(id: String, memory: MemorySnapshot, sessions: [Session], humanEdits: [String]) {
        self.id = id
        self.memory = memory
        self.sessions = sessions
        self.humanEdits = humanEdits
    }
}
