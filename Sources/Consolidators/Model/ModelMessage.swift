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

/// What a model answered to one request.
public struct ModelReply: Sendable, Equatable {
    /// Why the model stopped.
    public enum Stop: Sendable, Equatable {
        /// It is done talking (Anthropic `end_turn`, OpenAI `stop`).
        case endTurn
        /// It waits for the results of its tool calls.
        case toolUse
        /// It was cut off at `max_tokens`: a tool call in it may be incomplete.
        case maxTokens
        /// Anthropic paused a long turn; sending the reply back lets it go on.
        case pauseTurn
        /// Any other reason, as the server named it.
        case other(String)
    }

    /// What the model said: text and tool calls, in order.
    public var content: [ModelMessage.Block]
    /// Why it stopped.
    public var stop: Stop
    /// Tokens the request spent.
    public var usage: TokenUsage

    /// A reply of `content` that stopped for `stop`, having spent `usage`.
    public init(content: [ModelMessage.Block], stop: Stop, usage: TokenUsage) {
        self.content = content
        self.stop = stop
        self.usage = usage
    }
}

/// A tool the model may call: a name, what it is for, and its input's JSON schema.
public struct ToolSpec: Sendable, Equatable {
    /// The name the model calls it by.
    public let name: String
    /// What it is for, as the model reads it.
    public let description: String
    /// The JSON schema of its input.
    public let schema: JSONValue
    /// Anthropic's own type for a tool it was trained on (`memory_20250818`), declared by
    /// type alone; other servers get the schema.
    public let anthropicType: String?

    /// A tool named `name`; `anthropicType` when Anthropic knows it by a type of its own.
    public init(name: String, description: String, schema: JSONValue, anthropicType: String? = nil) {
        self.name = name
        self.description = description
        self.schema = schema
        self.anthropicType = anthropicType
    }
}

/// One request: the instructions, the conversation so far and the tools.
public struct ModelRequest: Sendable {
    /// The instructions.
    public let system: String
    /// The conversation so far.
    public let messages: [ModelMessage]
    /// The tools the model may call.
    public let tools: [ToolSpec]
    /// The most tokens the reply may hold.
    public let maxTokens: Int

    /// A request of `messages` under `system`, with `tools`, answered in at most `maxTokens`.
    public init(system: String, messages: [ModelMessage], tools: [ToolSpec], maxTokens: Int) {
        self.system = system
        self.messages = messages
        self.tools = tools
        self.maxTokens = maxTokens
    }
}

/// A model a dream talks to: an HTTP API or a local program.
public protocol ModelBackend: Sendable {
    /// Names the consolidator in commits: "anthropic/<model>", "openai/<model>", "command/<name>".
    var name: String { get }
    func send(_ request: ModelRequest) async throws(ModelError) -> ModelReply
    /// Releases what the backend holds (an HTTP client, a child process).
    func close() async
}
