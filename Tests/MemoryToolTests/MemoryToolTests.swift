import Foundation
import Memory
import MemoryTool
import Testing

/// Each command's answers, word for word as Anthropic's memory tool gives them
/// (see Sources/MemoryTool/Texts.swift for where each text comes from).
@Suite struct MemoryToolTests {
    static let listingHeader =
        "Here're the files and directories up to 2 levels deep in /memories, excluding hidden items and node_modules:"

    // MARK: view

    @Test func viewListsMemoryTwoLevelsDeepWithSizesAndHidesHiddenFiles() {
        var tool = memoryTool([
            "prefs.md": String(repeating: "x", count: 1535) + "\n",
            "topics/db.md": String(repeating: "y", count: 100),
            "topics/deep/more/x.md": String(repeating: "z", count: 2048),
            ".reverie/config.toml": "[dream]\n",
            ".gitignore": "*.swp\n",
            "topics/.hidden.md": "secret",
            "node_modules/x.md": "x",
        ])
        #expect(
            tool.call(["command": "view", "path": "/memories"])
                == ok(
                    """
                    \(Self.listingHeader)
                    3.6K\t/memories
                    1.5K\t/memories/prefs.md
                    2.1K\t/memories/topics/
                    100B\t/memories/topics/db.md
                    2.0K\t/memories/topics/deep/
                    """))
        #expect(
            tool.call(["command": "view", "path": "/memories/topics/"])
                == ok(
                    """
                    Here're the files and directories up to 2 levels deep in /memories/topics, excluding hidden items and node_modules:
                    2.1K\t/memories/topics
                    100B\t/memories/topics/db.md
                    2.0K\t/memories/topics/deep/
                    2.0K\t/memories/topics/deep/more/
                    """))
        #expect(tool.untouched)
    }

    @Test func viewOfEmptyMemoryListsTheRootAlone() {
        var tool = memoryTool([".reverie/config.toml": "x"])
        #expect(tool.call(["command": "view", "path": "/memories/"]) == ok("\(Self.listingHeader)\n0B\t/memories"))
    }

    @Test func viewShowsAFileWithLineNumbersAndRanges() {
        var tool = memoryTool(["notes.md": "# Notes\n- one\n- two\n"])
        #expect(
            tool.call(["command": "view", "path": "/memories/notes.md"])
                == ok(
                    """
                    Here's the content of /memories/notes.md with line numbers:
                         1\t# Notes
                         2\t- one
                         3\t- two
                    """))
        #expect(
            tool.call(["command": "view", "path": "/memories/notes.md", "view_range": [2, -1]])
                == ok(
                    """
                    Here's the content of /memories/notes.md with line numbers:
                         2\t- one
                         3\t- two
                    """))
        #expect(
            tool.call(["command": "view", "path": "/memories/notes.md", "view_range": [2, 2]])
                == ok(
                    """
                    Here's the content of /memories/notes.md with line numbers:
                         2\t- one
                    """))
    }

    @Test func viewErrorsSayWhatIsWrong() {
        var tool = memoryTool(["notes.md": "a\nb\nc\n", "topics/db.md": "x"])
        #expect(
            tool.call(["command": "view", "path": "/memories/nope.md"])
                == refused("The path /memories/nope.md does not exist. Please provide a valid path."))
        #expect(
            tool.call(["command": "view", "path": "/memories/notes.md", "view_range": [0, 2]])
                == refused(
                    "Invalid `view_range`: [0, 2]. Its first element `0` should be within the range of lines of the file: [1, 3]"
                ))
        #expect(
            tool.call(["command": "view", "path": "/memories/notes.md", "view_range": [1, 9]])
                == refused(
                    "Invalid `view_range`: [1, 9]. Its second element `9` should be smaller than the number of lines in the file: `3`"
                ))
        #expect(
            tool.call(["command": "view", "path": "/memories/notes.md", "view_range": [3, 2]])
                == refused(
                    "Invalid `view_range`: [3, 2]. Its second element `2` should be larger or equal than its first `3`")
        )
        #expect(
            tool.call(["command": "view", "path": "/memories/notes.md", "view_range": [1]])
                == refused("Invalid `view_range`. It should be a list of two integers."))
        #expect(
            tool.call(["command": "view", "path": "/memories/notes.md", "view_range": "1-2"])
                == refused("Invalid `view_range`. It should be a list of two integers."))
        #expect(
            tool.call(["command": "view", "path": "/memories/topics", "view_range": [1, 2]])
                == refused("The `view_range` parameter is not allowed when `path` points to a directory."))
        #expect(tool.untouched)
    }

    @Test func aLongFileIsShownAPageAtATime() {
        let text = (1...20).map { String(format: "line %02d", $0) }.joined(separator: "\n") + "\n"
        var tool = memoryTool(["long.md": text], limits: MemoryToolLimits(maxFileBytes: 1024, maxViewCharacters: 100))
        // Each numbered line is 14 characters and a line break: six fit in 100.
        #expect(
            tool.call(["command": "view", "path": "/memories/long.md"])
                == ok(
                    """
                    Here's the content of /memories/long.md with line numbers:
                         1\tline 01
                         2\tline 02
                         3\tline 03
                         4\tline 04
                         5\tline 05
                         6\tline 06

                    [Lines 1 to 6 of 20 are shown, to keep this answer short. View more with `view_range`, for example [7, 12].]
                    """))
        #expect(
            tool.call(["command": "view", "path": "/memories/long.md", "view_range": [7, 12]]).text.hasSuffix(
                "    12\tline 12"))
        let line = String(repeating: "w", count: 300)
        var wide = memoryTool(["wide.md": line], limits: MemoryToolLimits(maxFileBytes: 1024, maxViewCharacters: 100))
        let shown = wide.call(["command": "view", "path": "/memories/wide.md"])
        #expect(!shown.isError)
        #expect(
            shown.text.contains(
                "\n     1\t" + String(repeating: "w", count: 93)
                    + "\n\n[Line 1 is longer than 100 characters and was cut short here.]"))
    }

    // MARK: create

    @Test func createMakesAMarkdownFileAndItsFolders() {
        var tool = memoryTool([:])
        #expect(
            tool.call(["command": "create", "path": "/memories/topics/db.md", "file_text": "# DB\n"])
                == ok("File created successfully at: /memories/topics/db.md"))
        #expect(tool.storage.files == ["topics/db.md": "# DB\n"])
        #expect(tool.storage.log == [.write(path: "topics/db.md")])
    }

    @Test func createRefusesWhatIsThereAndWhatIsNotMarkdown() {
        var tool = memoryTool(
            ["a.md": "a\n", "topics/db.md": "x"], limits: MemoryToolLimits(maxFileBytes: 10, maxViewCharacters: 100))
        #expect(
            tool.call(["command": "create", "path": "/memories/a.md", "file_text": "new"])
                == refused("Error: File /memories/a.md already exists"))
        #expect(
            tool.call(["command": "create", "path": "/memories/topics", "file_text": "new"])
                == refused(
                    "Error: The path /memories/topics is a directory and only the `view` command can be used on directories"
                ))
        #expect(
            tool.call(["command": "create", "path": "/memories/notes.txt", "file_text": "new"])
                == refused(
                    "Error: /memories/notes.txt is not a memory file: memory is Markdown, so the memory tool only writes files whose names end in .md"
                ))
        #expect(
            tool.call(["command": "create", "path": "/memories/a.md/b.md", "file_text": "new"])
                == refused("Error: /memories/a.md is a file, so /memories/a.md/b.md cannot be made inside it"))
        #expect(
            tool.call(["command": "create", "path": "/memories/big.md", "file_text": "12345678901"])
                == refused(
                    "Error: No change was made: /memories/big.md would be 11 bytes, more than the 10 bytes (0 KiB) a memory file may hold. Split it into smaller files."
                ))
        #expect(
            tool.call(["command": "create", "path": "/memories", "file_text": "x"])
                == refused(
                    "Error: The path /memories is a directory and only the `view` command can be used on directories"))
        #expect(tool.untouched)
    }

    @Test func aFileOverTheStandardLimitIsRefused() {
        var tool = memoryTool([:])
        let big = String(repeating: "x", count: 256 * 1024 + 1)
        #expect(
            tool.call(["command": "create", "path": "/memories/big.md", "file_text": big])
                == refused(
                    "Error: No change was made: /memories/big.md would be 262145 bytes, more than the 262144 bytes (256 KiB) a memory file may hold. Split it into smaller files."
                ))
        #expect(tool.untouched)
    }

    // MARK: str_replace

    @Test func strReplaceEditsTheOneOccurrenceAndShowsTheSnippet() {
        var tool = memoryTool(["n.md": "one\ntwo\nthree\nfour\nfive\nsix\nseven\n"])
        #expect(
            tool.call(["command": "str_replace", "path": "/memories/n.md", "old_str": "four", "new_str": "FOUR"])
                == ok(
                    """
                    The memory file has been edited. Here is the snippet showing the change (with line numbers):
                         2\ttwo
                         3\tthree
                         4\tFOUR
                         5\tfive
                         6\tsix
                    """))
        #expect(tool.storage.files["n.md"] == "one\ntwo\nthree\nFOUR\nfive\nsix\nseven\n")
        // A missing new_str deletes the text, as in Anthropic's editor tool; the snippet
        // at the top of a file starts at line 1.
        #expect(
            tool.call(["command": "str_replace", "path": "/memories/n.md", "old_str": "one\n"])
                == ok(
                    """
                    The memory file has been edited. Here is the snippet showing the change (with line numbers):
                         1\ttwo
                         2\tthree
                         3\tFOUR
                    """))
    }

    @Test func strReplaceMatchesBytesVerbatim() {
        // "é" composed and decomposed are equal Swift strings, but not the same text.
        var tool = memoryTool(["n.md": "caf\u{E9}\r\nsecond\r\n"])
        #expect(
            tool.call(["command": "str_replace", "path": "/memories/n.md", "old_str": "cafe\u{301}", "new_str": "x"])
                .isError)
        #expect(
            !tool.call(["command": "str_replace", "path": "/memories/n.md", "old_str": "\u{E9}\r", "new_str": "e\r"])
                .isError)
        #expect(tool.storage.files["n.md"] == "cafe\r\nsecond\r\n")
    }

    @Test func strReplaceErrors() {
        var tool = memoryTool(["n.md": "- a\n- b\n- a\n", "topics/db.md": "x", "notes.txt": "a"])
        #expect(
            tool.call(["command": "str_replace", "path": "/memories/n.md", "old_str": "- c", "new_str": "x"])
                == refused("No replacement was performed, old_str `- c` did not appear verbatim in /memories/n.md."))
        #expect(
            tool.call(["command": "str_replace", "path": "/memories/n.md", "old_str": "- a", "new_str": "x"])
                == refused(
                    "No replacement was performed. Multiple occurrences of old_str `- a` in lines: 1, 3. Please ensure it is unique"
                ))
        #expect(
            tool.call(["command": "str_replace", "path": "/memories/x.md", "old_str": "a", "new_str": "b"])
                == refused("Error: The path /memories/x.md does not exist. Please provide a valid path."))
        #expect(
            tool.call(["command": "str_replace", "path": "/memories/topics", "old_str": "a", "new_str": "b"])
                == refused("Error: The path /memories/topics does not exist. Please provide a valid path."))
        #expect(
            tool.call(["command": "str_replace", "path": "/memories/n.md", "old_str": "", "new_str": "b"])
                == refused("Error: `old_str` is empty. Give the exact text to replace, copied from the file."))
        #expect(
            tool.call(["command": "str_replace", "path": "/memories/notes.txt", "old_str": "a", "new_str": "b"])
                == refused(
                    "Error: /memories/notes.txt is not a memory file: memory is Markdown, so the memory tool only writes files whose names end in .md"
                ))
        // Overlapping matches are two places, not one.
        var overlap = memoryTool(["o.md": "aaa"])
        #expect(
            overlap.call(["command": "str_replace", "path": "/memories/o.md", "old_str": "aa", "new_str": "b"])
                == refused(
                    "No replacement was performed. Multiple occurrences of old_str `aa` in lines: 1, 1. Please ensure it is unique"
                ))
        #expect(tool.untouched && overlap.untouched)
    }

    // MARK: insert

    @Test func insertAddsLinesAfterTheGivenLine() {
        var tool = memoryTool(["n.md": "a\nb\n", "open.md": "a\nb"])
        #expect(
            tool.call(["command": "insert", "path": "/memories/n.md", "insert_line": 1, "insert_text": "x\n"])
                == ok("The file /memories/n.md has been edited."))
        #expect(tool.storage.files["n.md"] == "a\nx\nb\n")
        #expect(
            tool.call(["command": "insert", "path": "/memories/n.md", "insert_line": 0, "insert_text": "top"])
                == ok("The file /memories/n.md has been edited."))
        #expect(
            tool.call(["command": "insert", "path": "/memories/n.md", "insert_line": 4, "insert_text": "end\nend2"])
                == ok("The file /memories/n.md has been edited."))
        #expect(tool.storage.files["n.md"] == "top\na\nx\nb\nend\nend2\n")
        // After a last line without a line break, one is added first; "2" reads as 2.
        #expect(
            tool.call(["command": "insert", "path": "/memories/open.md", "insert_line": "2", "insert_text": "c"])
                == ok("The file /memories/open.md has been edited."))
        #expect(tool.storage.files["open.md"] == "a\nb\nc\n")
    }

    @Test func insertErrors() {
        var tool = memoryTool(["n.md": "a\nb\n", "topics/db.md": "x"])
        #expect(
            tool.call(["command": "insert", "path": "/memories/n.md", "insert_line": 3, "insert_text": "x"])
                == refused(
                    "Error: Invalid `insert_line` parameter: 3. It should be within the range of lines of the file: [0, 2]"
                ))
        #expect(
            tool.call(["command": "insert", "path": "/memories/n.md", "insert_line": -1, "insert_text": "x"])
                == refused(
                    "Error: Invalid `insert_line` parameter: -1. It should be within the range of lines of the file: [0, 2]"
                ))
        #expect(
            tool.call(["command": "insert", "path": "/memories/x.md", "insert_line": 0, "insert_text": "x"])
                == refused("Error: The path /memories/x.md does not exist"))
        #expect(
            tool.call(["command": "insert", "path": "/memories/topics", "insert_line": 0, "insert_text": "x"])
                == refused("Error: The path /memories/topics does not exist"))
        #expect(
            tool.call(["command": "insert", "path": "/memories/n.md", "insert_line": "two", "insert_text": "x"])
                == refused("Parameter `insert_line` must be an integer for command: insert"))
        #expect(
            tool.call(["command": "insert", "path": "/memories/n.md", "insert_line": 1])
                == refused("Parameter `insert_text` is required for command: insert"))
        #expect(tool.untouched)
    }

    // MARK: delete

    @Test func deleteRemovesAFileOrAFolder() {
        var tool = memoryTool(["a.md": "a", "topics/db.md": "x", "topics/deep/y.md": "y", "topicsx.md": "z"])
        #expect(
            tool.call(["command": "delete", "path": "/memories/a.md"]) == ok("Successfully deleted /memories/a.md"))
        #expect(
            tool.call(["command": "delete", "path": "/memories/topics"]) == ok("Successfully deleted /memories/topics"))
        #expect(tool.storage.files == ["topicsx.md": "z"])
    }

    @Test func deleteErrors() {
        var tool = memoryTool([
            "notes.txt": "a", "keep/.keep": "", "keep/a.md": "a", "other/b.txt": "b", "other/a.md": "a",
        ])
        #expect(
            tool.call(["command": "delete", "path": "/memories/x.md"])
                == refused("Error: The path /memories/x.md does not exist"))
        #expect(
            tool.call(["command": "delete", "path": "/memories"])
                == refused("Cannot delete the /memories directory itself"))
        #expect(
            tool.call(["command": "delete", "path": "/memories/notes.txt"])
                == refused(
                    "Error: /memories/notes.txt is not a memory file: memory is Markdown, so the memory tool only writes files whose names end in .md"
                ))
        #expect(
            tool.call(["command": "delete", "path": "/memories/keep"])
                == refused(
                    "Error: /memories/keep holds /memories/keep/.keep, which is not a memory file the memory tool may change; the folder is left as it is"
                ))
        #expect(
            tool.call(["command": "delete", "path": "/memories/other"])
                == refused(
                    "Error: /memories/other holds /memories/other/b.txt, which is not a memory file the memory tool may change; the folder is left as it is"
                ))
        #expect(tool.untouched)
    }

    // MARK: rename

    @Test func renameMovesAFileOrAFolder() {
        var tool = memoryTool(["a.md": "a", "topics/db.md": "x", "topics/deep/y.md": "y"])
        #expect(
            tool.call(["command": "rename", "old_path": "/memories/a.md", "new_path": "/memories/archive/a.md"])
                == ok("Successfully renamed /memories/a.md to /memories/archive/a.md"))
        #expect(
            tool.call(["command": "rename", "old_path": "/memories/topics", "new_path": "/memories/subjects"])
                == ok("Successfully renamed /memories/topics to /memories/subjects"))
        #expect(tool.storage.files == ["archive/a.md": "a", "subjects/db.md": "x", "subjects/deep/y.md": "y"])
    }

    @Test func renameErrors() {
        var tool = memoryTool(["a.md": "a", "b.md": "b", "topics/db.md": "x"])
        #expect(
            tool.call(["command": "rename", "old_path": "/memories/x.md", "new_path": "/memories/y.md"])
                == refused("Error: The path /memories/x.md does not exist"))
        #expect(
            tool.call(["command": "rename", "old_path": "/memories/a.md", "new_path": "/memories/b.md"])
                == refused("Error: The destination /memories/b.md already exists"))
        #expect(
            tool.call(["command": "rename", "old_path": "/memories/a.md", "new_path": "/memories/topics"])
                == refused("Error: The destination /memories/topics already exists"))
        #expect(
            tool.call(["command": "rename", "old_path": "/memories/topics", "new_path": "/memories/topics/inner"])
                == refused("Error: Cannot move /memories/topics into itself (/memories/topics/inner)"))
        #expect(
            tool.call(["command": "rename", "old_path": "/memories/a.md", "new_path": "/memories/a.txt"])
                == refused(
                    "Error: /memories/a.txt is not a memory file: memory is Markdown, so the memory tool only writes files whose names end in .md"
                ))
        #expect(
            tool.call(["command": "rename", "old_path": "/memories", "new_path": "/memories/all"])
                == refused("Error: Cannot rename the /memories directory itself"))
        #expect(
            tool.call(["command": "rename", "old_path": "/memories/a.md", "new_path": "/memories/b.md/c.md"])
                == refused("Error: /memories/b.md is a file, so /memories/b.md/c.md cannot be made inside it"))
        #expect(
            tool.call(["command": "rename", "old_path": "/memories/a.md"])
                == refused("Parameter `new_path` is required for command: rename"))
        #expect(tool.untouched)
    }

    // MARK: pinned memory

    static let pinnedFile = "---\ndescription: Team rules\npinned: true\n---\n# Rules\n- tabs\n"
    static let pinnedLine = "# Prefs\n- Use tabs <!-- pinned -->\n- Short names\n"

    @Test func aPinnedFileIsReadButNeverChanged() {
        var tool = memoryTool(["rules.md": Self.pinnedFile])
        let pinned = refused(
            "Error: /memories/rules.md is pinned by a person (front matter `pinned: true`): the memory tool cannot change, rename or delete it."
        )
        #expect(!tool.call(["command": "view", "path": "/memories/rules.md"]).isError)
        #expect(
            tool.call(["command": "str_replace", "path": "/memories/rules.md", "old_str": "tabs", "new_str": "spaces"])
                == pinned)
        #expect(
            tool.call([
                "command": "str_replace", "path": "/memories/rules.md", "old_str": "pinned: true",
                "new_str": "pinned: false",
            ]) == pinned)
        #expect(
            tool.call(["command": "insert", "path": "/memories/rules.md", "insert_line": 6, "insert_text": "- more"])
                == pinned)
        #expect(tool.call(["command": "delete", "path": "/memories/rules.md"]) == pinned)
        #expect(
            tool.call(["command": "rename", "old_path": "/memories/rules.md", "new_path": "/memories/old.md"]) == pinned
        )
        #expect(tool.untouched)
    }

    @Test func aFolderHoldingPinnedMemoryIsNeitherMovedNorDeleted() {
        var tool = memoryTool(["team/rules.md": Self.pinnedFile, "team/notes.md": "x", "prefs/p.md": Self.pinnedLine])
        #expect(
            tool.call(["command": "delete", "path": "/memories/team"]).text.contains(
                "/memories/team/rules.md is pinned by a person"))
        #expect(tool.call(["command": "rename", "old_path": "/memories/team", "new_path": "/memories/crew"]).isError)
        #expect(
            tool.call(["command": "delete", "path": "/memories/prefs"])
                == refused(
                    "Error: Line 2 of /memories/prefs/p.md is pinned by a person (it carries <!-- pinned -->): it cannot be changed, moved or removed. Leave this line as it is: - Use tabs <!-- pinned -->"
                ))
        #expect(tool.untouched)
    }

    @Test func aPinnedLineStaysAsItIs() {
        var tool = memoryTool(["p.md": Self.pinnedLine])
        let pinned = refused(
            "Error: Line 2 of /memories/p.md is pinned by a person (it carries <!-- pinned -->): it cannot be changed, moved or removed. Leave this line as it is: - Use tabs <!-- pinned -->"
        )
        #expect(
            tool.call([
                "command": "str_replace", "path": "/memories/p.md", "old_str": "Use tabs", "new_str": "Use spaces",
            ]) == pinned)
        #expect(
            tool.call([
                "command": "str_replace", "path": "/memories/p.md", "old_str": "- Use tabs <!-- pinned -->\n",
                "new_str": "",
            ]) == pinned)
        #expect(
            tool.call([
                "command": "str_replace", "path": "/memories/p.md", "old_str": " <!-- pinned -->", "new_str": "",
            ]) == pinned)
        #expect(tool.call(["command": "delete", "path": "/memories/p.md"]) == pinned)
        #expect(tool.call(["command": "rename", "old_path": "/memories/p.md", "new_path": "/memories/q.md"]) == pinned)
        #expect(
            tool.call(["command": "create", "path": "/memories/p.md", "file_text": "# Prefs\n"])
                == refused("Error: File /memories/p.md already exists"))
        #expect(tool.untouched)

        // The rest of the file is the model's to edit, around the pinned line too.
        #expect(
            !tool.call([
                "command": "str_replace", "path": "/memories/p.md", "old_str": "- Short names",
                "new_str": "- Long names",
            ]).isError)
        #expect(
            !tool.call([
                "command": "insert", "path": "/memories/p.md", "insert_line": 2, "insert_text": "- Wrap at 100",
            ]).isError)
        #expect(
            !tool.call([
                "command": "str_replace", "path": "/memories/p.md", "old_str": "# Prefs\n- Use tabs <!-- pinned -->",
                "new_str": "# Preferences\n- Use tabs <!-- pinned -->",
            ]).isError)
        #expect(
            tool.storage.files["p.md"] == "# Preferences\n- Use tabs <!-- pinned -->\n- Wrap at 100\n- Long names\n")
    }

    @Test func onlyAPersonPins() {
        var tool = memoryTool(["p.md": "# Prefs\n"])
        #expect(
            tool.call(["command": "create", "path": "/memories/new.md", "file_text": "- mine <!-- pinned -->\n"])
                == refused(
                    "Error: Only a person can pin memory: the new text of /memories/new.md adds a line marked <!-- pinned -->. No change was made."
                ))
        #expect(
            tool.call(["command": "create", "path": "/memories/new.md", "file_text": "---\npinned: true\n---\nx\n"])
                == refused(
                    "Error: Only a person can pin memory: the new text of /memories/new.md sets `pinned: true`. No change was made."
                ))
        #expect(
            tool.call([
                "command": "insert", "path": "/memories/p.md", "insert_line": 1, "insert_text": "- x <!-- pinned -->",
            ]).isError)
        #expect(
            tool.call([
                "command": "str_replace", "path": "/memories/p.md", "old_str": "# Prefs\n",
                "new_str": "---\npinned: true\n---\n# Prefs\n",
            ]).isError)
        #expect(
            tool.call([
                "command": "str_replace", "path": "/memories/p.md", "old_str": "# Prefs\n",
                "new_str": "---\npinned: maybe\n---\n# Prefs\n",
            ])
                == refused(
                    "Error: No change was made: the new front matter of /memories/p.md cannot be read (p.md:2: front matter: pinned must be true or false, found maybe)."
                ))
        #expect(tool.untouched)
    }

    // MARK: input

    @Test func malformedInputIsAToolErrorAndChangesNothing() {
        var tool = memoryTool(["a.md": "a\n"])
        #expect(
            tool.run(json: "view /memories")
                == refused(
                    #"Error: The memory tool input is not valid JSON. Send one JSON object, for example {"command": "view", "path": "/memories"}."#
                ))
        #expect(
            tool.run(json: Data([0xFF, 0xFE]))
                == refused(
                    #"Error: The memory tool input is not valid JSON. Send one JSON object, for example {"command": "view", "path": "/memories"}."#
                ))
        #expect(
            tool.run(json: #"{"command": "delete"}"#) == refused("Parameter `path` is required for command: delete"))
        #expect(tool.run(json: #"{"command": "delete", "path": "/memories/a.md", "#).isError)
        #expect(tool.untouched)
        // The same call, well formed, goes through.
        #expect(
            tool.run(json: #"{"command": "delete", "path": "/memories/a.md"}"#)
                == ok("Successfully deleted /memories/a.md"))
    }

    // MARK: change tracking

    @Test func changesAreClosedOneAtATimeAndARenameIsADeleteAndAWrite() {
        var tool = memoryTool(["a.md": "a\n", "b.md": "b\n", ".reverie/config.toml": "x"])
        _ = tool.call(["command": "create", "path": "/memories/c.md", "file_text": "c\n"])
        _ = tool.call(["command": "str_replace", "path": "/memories/a.md", "old_str": "a", "new_str": "A"])
        #expect(
            tool.storage.closeChange() == InMemoryMemory.Changes(writes: ["a.md": "A\n", "c.md": "c\n"], deletes: []))

        _ = tool.call(["command": "rename", "old_path": "/memories/b.md", "new_path": "/memories/d.md"])
        _ = tool.call(["command": "delete", "path": "/memories/c.md"])
        _ = tool.call(["command": "str_replace", "path": "/memories/a.md", "old_str": "A", "new_str": "a2"])
        _ = tool.call(["command": "str_replace", "path": "/memories/a.md", "old_str": "a2", "new_str": "A"])
        #expect(
            tool.storage.pendingChanges == InMemoryMemory.Changes(writes: ["d.md": "b\n"], deletes: ["b.md", "c.md"]))
        #expect(
            tool.storage.closeChange() == InMemoryMemory.Changes(writes: ["d.md": "b\n"], deletes: ["b.md", "c.md"]))
        #expect(tool.storage.pendingChanges.isEmpty)

        // Against the memory as given, c.md came and went: it is no change at all.
        #expect(
            tool.storage.changes(since: tool.storage.original)
                == InMemoryMemory.Changes(writes: ["a.md": "A\n", "d.md": "b\n"], deletes: ["b.md"]))
        #expect(
            tool.storage.log == [
                .write(path: "c.md"), .write(path: "a.md"), .write(path: "d.md"), .delete(path: "b.md"),
                .delete(path: "c.md"), .write(path: "a.md"), .write(path: "a.md"),
            ])
        let mark = tool.storage.mark()
        _ = tool.call(["command": "create", "path": "/memories/e.md", "file_text": "e\n"])
        #expect(tool.storage.changes(since: mark) == InMemoryMemory.Changes(writes: ["e.md": "e\n"]))
    }

    @Test func sizesReadAsDuPrintsThem() {
        var tool = memoryTool([
            "a.md": String(repeating: "x", count: 4096), "b.md": String(repeating: "x", count: 17_000),
            "c.md": String(repeating: "x", count: 1024 * 1024 - 1), "d.md": String(repeating: "x", count: 1_300_000),
        ])
        #expect(
            tool.call(["command": "view", "path": "/memories"])
                == ok(
                    """
                    \(Self.listingHeader)
                    2.3M\t/memories
                    4.0K\t/memories/a.md
                    17K\t/memories/b.md
                    1.0M\t/memories/c.md
                    1.3M\t/memories/d.md
                    """))
    }
}
