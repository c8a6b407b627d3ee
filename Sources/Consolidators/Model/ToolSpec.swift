import Dreaming
import Sessions

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
