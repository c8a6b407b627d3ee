import Foundation
import Git
import Memory
import Sessions

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
