/// What one memory command answers the model: the text of its `tool_result` block and
/// whether that block is an error (`is_error`), so the model reads a refusal as one and
/// tries something else instead of believing memory changed.
public struct ToolResult: Sendable, Equatable, CustomStringConvertible {
    /// The answer, in the words Anthropic's memory tool uses where it has words for it.
    public let text: String
    /// Whether nothing was done: the input, the path or the state of memory refused it.
    public let isError: Bool

    /// An answer: `isError` when nothing was done.
    public init(text: String, isError: Bool) {
        self.text = text
        self.isError = isError
    }

    /// The text, marked when it is an error (for logs and test output).
    public var description: String { isError ? "error: \(text)" : text }
}
