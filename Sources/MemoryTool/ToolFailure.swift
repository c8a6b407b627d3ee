/// A refusal on its way to the model: thrown inside a command so every check can stop it
/// before anything is written, and turned into an error `ToolResult` at the top.
struct ToolFailure: Error, Equatable {
    let text: String

    init(_ text: String) { self.text = text }
}
