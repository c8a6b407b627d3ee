import Foundation

/// One thing that happened in a session, in order.
public struct SessionEvent: Sendable, Equatable {
    /// What the event was, with what it carried.
    public enum Kind: Sendable, Equatable {
        case user(text: String)
        /// Text the agent tool put in the person's turn, not typed by them: a slash
        /// command and its expanded prompt, a compaction summary, a local command's
        /// output, a system reminder.
        case context(text: String)
        case assistant(text: String)
        case toolCall(id: String, name: String, input: String)
        case toolResult(callID: String, output: String, isError: Bool, exitCode: Int32?)
        /// The person refused a tool call.
        case rejection(callID: String, reason: String?)
    }

    /// What happened.
    public var kind: Kind
    /// When, if the transcript says.
    public var time: Date?
    /// Made by a subagent (a Claude Code sidechain), not the main agent.
    public var isSubagent: Bool

    /// An event of `kind` at `time`, by the main agent or a subagent.
    public init(_ kind: Kind, time: Date?, isSubagent: Bool) {
        self.kind = kind
        self.time = time
        self.isSubagent = isSubagent
    }
}
