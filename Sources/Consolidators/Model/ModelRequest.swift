import Dreaming
import Sessions

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
