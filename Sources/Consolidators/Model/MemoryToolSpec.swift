import Sessions

/// The memory tool as a model sees it: Anthropic's own `memory_20250818` type (declared by
/// type, the schema is theirs), and for other servers the same six commands as one function.
enum MemoryToolSpec {
    static let spec = ToolSpec(
        name: "memory",
        description: "Read and change the team's memory, a folder of Markdown files under /memories. Commands: "
            + "view (a folder listing or a file with line numbers), create, str_replace, insert, delete, rename.",
        schema: ["type": "object", "required": ["command"], "properties": [
            "command": ["type": "string", "enum": ["view", "create", "str_replace", "insert", "delete", "rename"]],
            "path": ["type": "string", "description": "a path under /memories"],
            "view_range": ["type": "array", "items": ["type": "integer"], "description": "view: [first line, last line]"],
            "file_text": ["type": "string", "description": "create: the whole file"],
            "old_str": ["type": "string", "description": "str_replace: text that occurs exactly once"],
            "new_str": ["type": "string", "description": "str_replace: its replacement"],
            "insert_line": ["type": "integer", "description": "insert: the line after which to insert (0: at the top)"],
            "insert_text": ["type": "string"],
            "old_path": ["type": "string", "description": "rename: from"],
            "new_path": ["type": "string", "description": "rename: to"],
        ]],
        anthropicType: "memory_20250818")
}
