import Dreaming
import Sessions

/// One message of a dream's conversation with a model, in the shape the Anthropic and
/// OpenAI wire formats (and the command protocol) all map to.
public struct ModelMessage: Sendable, Equatable {
    public enum Role: String, Sendable {
        case user, assistant
    }

    public enum Block: Sendable, Equatable {
        case text(String)
        /// A tool call; `input` is nil when the model's arguments were not JSON (`raw` keeps them).
        case toolUse(id: String, name: String, input: JSONValue?, raw: String)
        case toolResult(id: String, text: String, isError: Bool)
    }

    public var role: Role
    public var content: [Block]

    public init(role: Role, content: [Block]) {
        self.role = role
        self.content = content
    }

    /// The tool calls of an assistant message, in order.
    public var toolUses: [(id: String, name: String, input: JSONValue?, raw: String)] {
        content.compactMap { if case .toolUse(let id, let name, let input, let raw) = $0 { (id, name, input, raw) } else { nil } }
    }
}

/// What a model answered to one request.
public struct ModelReply: Sendable, Equatable {
    public enum Stop: Sendable, Equatable {
        /// It is done talking (Anthropic `end_turn`, OpenAI `stop`).
        case endTurn
        /// It waits for the results of its tool calls.
        case toolUse
        /// It was cut off at `max_tokens`: a tool call in it may be incomplete.
        case maxTokens
        /// Anthropic paused a long turn; sending the reply back lets it go on.
        case pauseTurn
        case other(String)
    }

    public var content: [ModelMessage.Block]
    public var stop: Stop
    public var usage: TokenUsage

    public init(content: [ModelMessage.Block], stop: Stop, usage: TokenUsage) {
        self.content = content
        self.stop = stop
        self.usage = usage
    }
}

/// A tool the model may call: a name, what it is for, and its input's JSON schema.
public struct ToolSpec: Sendable, Equatable {
    public let name: String
    public let description: String
    public let schema: JSONValue
    /// Anthropic's own type for a tool it was trained on (`memory_20250818`), declared by
    /// type alone; other servers get the schema.
    public let anthropicType: String?

    public init(name: String, description: String, schema: JSONValue, anthropicType: String? = nil) {
        self.name = name
        self.description = description
        self.schema = schema
        self.anthropicType = anthropicType
    }
}

/// One request: the instructions, the conversation so far and the tools.
public struct ModelRequest: Sendable {
    public let system: String
    public let messages: [ModelMessage]
    public let tools: [ToolSpec]
    public let maxTokens: Int

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
