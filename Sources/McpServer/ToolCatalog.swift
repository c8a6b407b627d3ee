import MCP
import MemoryTool

/// The tools `reverie mcp` offers, as an MCP client lists them: names, what each is for,
/// and the JSON Schema of its input.
enum ToolCatalog {
    static let memory = "memory", search = "search", history = "history"

    /// The memory tool's schema, from the one MemoryTool keeps.
    static var memorySchema: Value {
        var properties: [String: Value] = [
            "command": ["type": "string", "enum": .array(MemoryToolCommand.commandNames.map { .string($0) })]
        ]
        for field in MemoryToolSchema.fields {
            properties[field.name] =
                field.type == "array"
                ? [
                    "type": "array", "items": ["type": "integer"], "minItems": 2, "maxItems": 2,
                    "description": .string(field.description),
                ]
                : ["type": .string(field.type), "description": .string(field.description)]
        }
        return [
            "type": "object", "required": .array(MemoryToolSchema.required.map { .string($0) }),
            "properties": .object(properties),
        ]
    }

    static let tools: [Tool] = [
        Tool(
            name: memory,
            title: "Long-term memory",
            description: """
                Your long-term memory: a folder of Markdown files under /memories, kept in git. Every change \
                is committed at once, naming you as the agent that made it. Commands (those of Anthropic's \
                memory tool): view (a folder two levels deep with sizes, or a file with line numbers; \
                view_range [first, last] shows part of one), create (a new file; never replaces one), \
                str_replace (text that occurs exactly once), insert (lines after insert_line; 0 is the top), \
                delete (a file or a folder), rename (old_path to new_path). Files a person pinned (front \
                matter `pinned: true`) and lines marked <!-- pinned --> cannot be changed. Start with \
                {"command": "view", "path": "/memories"}.
                """,
            inputSchema: memorySchema,
            annotations: .init(
                title: "Long-term memory", readOnlyHint: false, destructiveHint: true,
                idempotentHint: false, openWorldHint: false)
        ),
        Tool(
            name: search,
            title: "Search memory",
            description: """
                Finds the lines of memory files that hold the words of `query` (case-insensitive, anywhere in \
                a word), best first: lines with more of the words, then lines with the exact phrase, then by \
                path. Each match is `/memories/path:line: text`; open the file with the memory tool's view.
                """,
            inputSchema: [
                "type": "object",
                "required": ["query"],
                "properties": [
                    "query": ["type": "string", "description": "the words to look for, e.g. \"deploy staging\""],
                    "limit": [
                        "type": "integer", "minimum": 1, "maximum": .int(MemorySearch.maxLimit),
                        "description": "at most this many matches (default \(MemorySearch.defaultLimit))",
                    ],
                ],
            ],
            annotations: .init(title: "Search memory", readOnlyHint: true, openWorldHint: false)
        ),
        Tool(
            name: history,
            title: "History of a memory file",
            description: """
                The commits on main that changed a memory file or folder, newest first: short id, date \
                (ISO 8601, UTC), author and subject, with dream merges, rollbacks, restores and agents' edits \
                marked. Use it to see who wrote something and when, or what a dream changed.
                """,
            inputSchema: [
                "type": "object",
                "required": ["path"],
                "properties": [
                    "path": [
                        "type": "string", "description": "a file or folder under /memories, e.g. /memories/python.md",
                    ],
                    "limit": [
                        "type": "integer", "minimum": 1, "maximum": .int(MemoryHistory.maxLimit),
                        "description": "at most this many commits (default \(MemoryHistory.defaultLimit))",
                    ],
                ],
            ],
            annotations: .init(title: "History of a memory file", readOnlyHint: true, openWorldHint: false)
        ),
    ]
}
