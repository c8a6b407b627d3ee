import Dreaming
import Sessions

/// One message of a dream's conversation with a model, in the shape the Anthropic and
/// OpenAI wire formats (and the command protocol) all map to.
public struct ModelMessage: Sendable, Equatable {
    /// Who said it.
    public enum Role: String, Sendable {
        case user, assistant
    }

    /// One part of a message: text, a tool call, or a tool's result.
    public enum Block: Sendable, Equatable {
        case text(String)
        /// A tool call; `input` is nil when the model's arguments were not JSON (`raw` keeps them).
        case toolUse(id: String, name: String, input: JSONValue?, raw: String)
        case toolResult(id: String, text: String, isError: Bool)
    }

    /// Who said it.
    public var role: Role
    /// Its parts, in order.
    public var content: [Block]

    /// A message from `role` made of `content`.
    public init(role: Role, content: [Block]) {
        self.role = role
        self.content = content
    }

    /// The tool calls of an assistant message, in order.
    public var toolUses: [(id: String, name: String, input: JSONValue?, raw: String)] {
        content.compactMap {
            if case .toolUse(let id, let name, let input, let raw) = $0 { (id, name, input, raw) } else { nil }
        }
    }
}
