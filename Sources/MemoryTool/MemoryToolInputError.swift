/// Input a memory command cannot be read from: not JSON, not an object, an unknown command,
/// a missing or mistyped parameter. Its message is written for the model, which sees it as
/// a tool error and can send the call again.
public struct MemoryToolInputError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What is wrong with the input, said so the model can fix its call.
    public let message: String

    /// An error saying `message`.
    public init(_ message: String) { self.message = message }

    /// The message.
    public var description: String { message }
}
