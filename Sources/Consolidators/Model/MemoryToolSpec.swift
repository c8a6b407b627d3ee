import MemoryTool
import Sessions

/// The memory tool as a model sees it: Anthropic's own `memory_20250818` type (declared by
/// type, the schema is theirs), and for other servers the same six commands as one
/// function, with MemoryTool's schema.
enum MemoryToolSpec {
    static let spec = ToolSpec(
        name: MemoryToolCommand.toolName,
        description: "Read and change the team's memory, a folder of Markdown files under /memories. Commands: "
            + "view (a folder listing or a file with line numbers), create, str_replace, insert, delete, rename.",
        schema: schema, anthropicType: MemoryToolCommand.toolType)

    static var schema: JSONValue {
        var properties: [String: JSONValue] = [
            "command": ["type": "string", "enum": .array(MemoryToolCommand.commandNames.map { .string($0) })]
        ]
        for field in MemoryToolSchema.fields {
            properties[field.name] =
                field.type == "array"
                ? ["type": "array", "items": ["type": "integer"], "description": .string(field.description)]
                : ["type": .string(field.type), "description": .string(field.description)]
        }
        return [
            "type": "object", "required": .array(MemoryToolSchema.required.map { .string($0) }),
            "properties": .object(properties),
        ]
    }
}
