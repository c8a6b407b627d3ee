import Dreaming
import Sessions

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
