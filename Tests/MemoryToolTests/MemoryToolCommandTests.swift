import Foundation
import Memory
import MemoryTool
import Testing

/// Reading the model's input: Anthropic's field names, and a clear message for anything else.
@Suite struct MemoryToolCommandTests {
    @Test func readsEachCommandByAnthropicsFieldNames() throws {
        #expect(
            try MemoryToolCommand(
                json: #"{"command": "view", "path": "/memories", "view_range": [1, 2], "extra": true}"#)
                == MemoryToolCommand(.view(path: "/memories", viewRange: .init(first: 1, last: 2))))
        #expect(
            try MemoryToolCommand(json: #"{"command": "view", "path": "/memories", "view_range": null}"#)
                == MemoryToolCommand(.view(path: "/memories", viewRange: nil)))
        #expect(
            try MemoryToolCommand(json: #"{"command": "create", "path": "p", "file_text": "t"}"#)
                == MemoryToolCommand(.create(path: "p", fileText: "t")))
        #expect(
            try MemoryToolCommand(json: #"{"command": "str_replace", "path": "p", "old_str": "o", "new_str": "n"}"#)
                == MemoryToolCommand(.strReplace(path: "p", oldStr: "o", newStr: "n")))
        #expect(
            try MemoryToolCommand(json: #"{"command": "str_replace", "path": "p", "old_str": "o"}"#)
                == MemoryToolCommand(.strReplace(path: "p", oldStr: "o", newStr: "")))
        #expect(
            try MemoryToolCommand(json: #"{"command": "insert", "path": "p", "insert_line": 2, "insert_text": "x"}"#)
                == MemoryToolCommand(.insert(path: "p", insertLine: 2, insertText: "x")))
        #expect(
            try MemoryToolCommand(json: #"{"command": "delete", "path": "/memories/a"}"#)
                == MemoryToolCommand(.delete(path: "/memories/a")))
        #expect(
            try MemoryToolCommand(json: #"{"command": "rename", "old_path": "/memories/a", "new_path": "/memories/b"}"#)
                == MemoryToolCommand(.rename(oldPath: "/memories/a", newPath: "/memories/b")))
        #expect(MemoryToolCommand.toolType == "memory_20250818" && MemoryToolCommand.toolName == "memory")
    }

    @Test func pathsForOtherToolsPassTheCommandsRules() throws {
        #expect(try MemoryToolCommand.memoryPath("/memories/topics/db.md") == RepoPath("topics/db.md"))
        #expect(try MemoryToolCommand.memoryPath("/memories/topics/") == RepoPath("topics"))
        #expect(try MemoryToolCommand.memoryPath("/memories") == nil)
        #expect(throws: MemoryToolInputError("Path /memories/../x.md would escape /memories directory")) {
            try MemoryToolCommand.memoryPath("/memories/../x.md")
        }
        #expect(
            throws: MemoryToolInputError("Error: The path /memories/.git/config is not allowed: it reaches into .git.")
        ) {
            try MemoryToolCommand.memoryPath("/memories/.git/config")
        }
        #expect(MemoryToolCommand.shown(try RepoPath("a/b.md")) == "/memories/a/b.md")
        #expect(MemoryToolCommand.shown(nil) == "/memories")
    }

    @Test func readsWhatOpenAICompatibleServersSend() throws {
        // JSON text inside a JSON string, and numbers as text or with a fraction.
        let doubled = String(
            decoding: try JSONEncoder().encode(#"{"command": "delete", "path": "/memories/a.md"}"#), as: UTF8.self)
        #expect(try MemoryToolCommand(json: doubled) == MemoryToolCommand(.delete(path: "/memories/a.md")))
        #expect(
            try MemoryToolCommand(json: #"{"command": "insert", "path": "p", "insert_line": "2", "insert_text": "x"}"#)
                == MemoryToolCommand(.insert(path: "p", insertLine: 2, insertText: "x")))
        #expect(
            try MemoryToolCommand(json: #"{"command": "insert", "path": "p", "insert_line": 2.0, "insert_text": "x"}"#)
                == MemoryToolCommand(.insert(path: "p", insertLine: 2, insertText: "x")))
    }

    @Test func everyProblemHasItsMessage() {
        let example = #"{"command": "view", "path": "/memories"}"#
        let notJSON = "Error: The memory tool input is not valid JSON. Send one JSON object, for example \(example)."
        let notObject = "Error: The memory tool input must be a JSON object, for example \(example)."
        let commands = "The allowed commands for the memory tool are: view, create, str_replace, insert, delete, rename"
        let cases: [(json: String, message: String)] = [
            ("", notJSON),
            ("view /memories", notJSON),
            (#"{"command": "view", "path": "/memories""#, notJSON),
            (String(repeating: "[", count: 100_000), notJSON),
            ("[1, 2]", notObject),
            ("null", notObject),
            (#""view""#, notObject),
            ("{}", "Error: Parameter `command` is required, as text. \(commands)"),
            (#"{"command": 7}"#, "Error: Parameter `command` is required, as text. \(commands)"),
            (#"{"command": "fly"}"#, "Unrecognized command fly. \(commands)"),
            (#"{"command": "fly\nhigh"}"#, "Unrecognized command fly\\u{a}high. \(commands)"),
            (#"{"command": "view"}"#, "Parameter `path` is required for command: view"),
            (#"{"command": "view", "path": null}"#, "Parameter `path` is required for command: view"),
            (#"{"command": "view", "path": ["/memories"]}"#, "Parameter `path` must be a string for command: view"),
            (
                #"{"command": "view", "path": "/memories", "view_range": [1]}"#,
                "Invalid `view_range`. It should be a list of two integers."
            ),
            (
                #"{"command": "view", "path": "/memories", "view_range": "1-2"}"#,
                "Invalid `view_range`. It should be a list of two integers."
            ),
            (
                #"{"command": "create", "path": "/memories/b.md"}"#,
                "Parameter `file_text` is required for command: create"
            ),
            (
                #"{"command": "str_replace", "path": "/memories/a.md"}"#,
                "Parameter `old_str` is required for command: str_replace"
            ),
            (
                #"{"command": "insert", "path": "p", "insert_text": "x"}"#,
                "Parameter `insert_line` is required for command: insert"
            ),
            (
                #"{"command": "insert", "path": "p", "insert_line": 1.5, "insert_text": "x"}"#,
                "Parameter `insert_line` must be an integer for command: insert"
            ),
            (
                #"{"command": "insert", "path": "p", "insert_line": "two", "insert_text": "x"}"#,
                "Parameter `insert_line` must be an integer for command: insert"
            ),
            (
                #"{"command": "insert", "path": "p", "insert_line": 1}"#,
                "Parameter `insert_text` is required for command: insert"
            ),
            (
                #"{"command": "rename", "old_path": "/memories/a.md"}"#,
                "Parameter `new_path` is required for command: rename"
            ),
        ]
        for (json, message) in cases {
            #expect(throws: MemoryToolInputError(message), "\(json.prefix(60))") { try MemoryToolCommand(json: json) }
        }
        #expect(throws: MemoryToolInputError(notJSON)) { try MemoryToolCommand(json: Data([0xFF, 0xFE, 0x7B, 0x7D])) }
        let huge = Data(count: MemoryToolCommand.maxInputBytes + 1)
        #expect(
            throws: MemoryToolInputError(
                "Error: The memory tool input is 1048577 bytes; at most 1048576 bytes are read.")
        ) {
            try MemoryToolCommand(json: huge)
        }
    }
}
