/// The memory tool's input as a JSON Schema describes it, once, for whoever declares the
/// tool: a model's dream (Anthropic's own type aside, OpenAI-compatible servers and
/// programs get this schema) and `reverie mcp`. Plain values, so each can build its own
/// JSON type from them.
public enum MemoryToolSchema {
    /// One input property of the tool.
    public struct Field: Sendable {
        /// The property's name, as the tool call spells it.
        public let name: String
        /// "string", "integer", or "array" (of two integers).
        public let type: String
        /// What it is for, per command, as the model reads it.
        public let description: String
    }

    /// The properties every call must give.
    public static let required = ["command"]

    /// Every property, each described for the commands that take it.
    public static let fields: [Field] = [
        Field(
            name: "path", type: "string",
            description: "view, create, str_replace, insert, delete: a path under /memories"),
        Field(
            name: "view_range", type: "array",
            description: "view: [first line, last line] of a file; -1 as the last means its end"),
        Field(name: "file_text", type: "string", description: "create: the whole text of the new file"),
        Field(name: "old_str", type: "string", description: "str_replace: text that occurs exactly once in the file"),
        Field(name: "new_str", type: "string", description: "str_replace: the text to put in its place"),
        Field(
            name: "insert_line", type: "integer", description: "insert: the line after which to insert (0: at the top)"),
        Field(name: "insert_text", type: "string", description: "insert: the lines to insert"),
        Field(name: "old_path", type: "string", description: "rename: the file or folder to move"),
        Field(name: "new_path", type: "string", description: "rename: where to move it (nothing may be there yet)"),
    ]
}
