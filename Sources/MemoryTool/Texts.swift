import Memory

/// Every text the memory tool answers with, in one place.
///
/// Models are trained on Anthropic's texts, so where Anthropic has words for an answer they
/// are used as written. Sources, quoted in each comment:
/// - [docs] Anthropic, "Memory tool", "Tool commands" section:
///   https://platform.claude.com/docs/en/agents-and-tools/tool-use/memory-tool
/// - [sdk] anthropic-sdk-python, src/anthropic/lib/tools/_beta_builtin_memory_tool.py,
///   `BetaLocalFilesystemMemoryTool`, for what the docs leave open.
/// - [editor] anthropic-quickstarts (claude-quickstarts), computer-use-demo/computer_use_demo/
///   tools/edit.py, Anthropic's text editor tool, whose error texts the memory tool shares
///   ("The memory tool uses similar error handling patterns to the text editor tool" [docs]).
/// Texts without a source are Reverie's own refusals; they start with "Error:" as the
/// documented errors do, and say what to do instead.
enum Texts {
    static let root = "/memories"
    static let pinMarker = MemoryFile.pinMarker

    // MARK: view

    /// [docs] "Here're the files and directories up to 2 levels deep in {path}, excluding
    /// hidden items and node_modules:" (the SDK drops "and node_modules"; the docs, and the
    /// listings models were shown, keep it).
    static func listingHeader(_ path: String) -> String {
        "Here're the files and directories up to 2 levels deep in \(path), excluding hidden items and node_modules:"
    }

    /// [docs] "Here's the content of {path} with line numbers:"
    static func fileHeader(_ path: String) -> String { "Here's the content of \(path) with line numbers:" }

    /// [docs] "Width: 6 characters, right-aligned with space padding; Separator: Tab".
    static func numbered(_ number: Int, _ line: Substring) -> String {
        let digits = String(number)
        return String(repeating: " ", count: max(0, 6 - digits.count)) + digits + "\t" + line
    }

    /// [docs] "The path {path} does not exist. Please provide a valid path."
    static func viewMissing(_ path: String) -> String {
        "The path \(path) does not exist. Please provide a valid path."
    }

    /// [docs] "File {path} exceeds maximum line limit of 999,999 lines."
    static func tooManyLines(_ path: String) -> String { "File \(path) exceeds maximum line limit of 999,999 lines." }

    /// [editor] "The `view_range` parameter is not allowed when `path` points to a directory."
    static let viewRangeOnFolder = "The `view_range` parameter is not allowed when `path` points to a directory."

    /// [editor] "Invalid `view_range`. It should be a list of two integers."
    static let viewRangeNotTwoIntegers = "Invalid `view_range`. It should be a list of two integers."

    /// [editor] "Invalid `view_range`: {view_range}. Its first element `{init_line}` should be
    /// within the range of lines of the file: {[1, n_lines_file]}"
    static func viewRangeFirst(_ range: MemoryToolCommand.ViewRange, lines: Int) -> String {
        "Invalid `view_range`: \(range). Its first element `\(range.first)` should be within the range of lines of the file: [1, \(lines)]"
    }

    /// [editor] "Invalid `view_range`: {view_range}. Its second element `{final_line}` should be
    /// smaller than the number of lines in the file: `{n_lines_file}`"
    static func viewRangeLastTooLarge(_ range: MemoryToolCommand.ViewRange, lines: Int) -> String {
        "Invalid `view_range`: \(range). Its second element `\(range.last)` should be smaller than the number of lines in the file: `\(lines)`"
    }

    /// [editor] "Invalid `view_range`: {view_range}. Its second element `{final_line}` should be
    /// larger or equal than its first `{init_line}`"
    static func viewRangeLastBeforeFirst(_ range: MemoryToolCommand.ViewRange) -> String {
        "Invalid `view_range`: \(range). Its second element `\(range.last)` should be larger or equal than its first `\(range.first)`"
    }

    /// Reverie's: the docs ask for paging ("let Claude paginate through contents").
    static func viewPaged(first: Int, last: Int, of count: Int, nextFirst: Int, nextLast: Int) -> String {
        "\n\n[Lines \(first) to \(last) of \(count) are shown, to keep this answer short. "
            + "View more with `view_range`, for example [\(nextFirst), \(nextLast)].]"
    }

    /// Reverie's: one line longer than a whole view.
    static func lineCut(_ number: Int, characters: Int) -> String {
        "\n\n[Line \(number) is longer than \(characters) characters and was cut short here.]"
    }

    /// Reverie's: a listing too long for one answer.
    static func listingCut(shown: Int, of count: Int, in path: String) -> String {
        "\n\n[\(shown) of \(count) entries are shown, to keep this answer short. View a folder inside \(path) to see the rest.]"
    }

    // MARK: create

    /// [docs] "File created successfully at: {path}"
    static func created(_ path: String) -> String { "File created successfully at: \(path)" }

    /// [docs] "Error: File {path} already exists"
    static func alreadyExists(_ path: String) -> String { "Error: File \(path) already exists" }

    // MARK: str_replace

    /// [docs] "The memory file has been edited." followed by a snippet with line numbers;
    /// [sdk] words the snippet's header: "The memory file has been edited. Here is the
    /// snippet showing the change (with line numbers):"
    static let edited = "The memory file has been edited. Here is the snippet showing the change (with line numbers):"

    /// [docs] "Error: The path {path} does not exist. Please provide a valid path."
    static func editMissing(_ path: String) -> String {
        "Error: The path \(path) does not exist. Please provide a valid path."
    }

    /// [docs] "No replacement was performed, old_str `{old_str}` did not appear verbatim in {path}."
    static func notFound(_ oldStr: String, in path: String) -> String {
        "No replacement was performed, old_str `\(clipped(oldStr))` did not appear verbatim in \(path)."
    }

    /// [docs] "No replacement was performed. Multiple occurrences of old_str `{old_str}` in
    /// lines: {line_numbers}. Please ensure it is unique" ([sdk] joins the numbers with ", ").
    static func notUnique(_ oldStr: String, lines: [Int]) -> String {
        "No replacement was performed. Multiple occurrences of old_str `\(clipped(oldStr))` in lines: "
            + lines.map(String.init).joined(separator: ", ") + ". Please ensure it is unique"
    }

    /// Reverie's: an empty old_str occurs everywhere.
    static let emptyOldStr = "Error: `old_str` is empty. Give the exact text to replace, copied from the file."

    // MARK: insert

    /// [docs] "The file {path} has been edited."
    static func insertDone(_ path: String) -> String { "The file \(path) has been edited." }

    /// [docs] "Error: The path {path} does not exist" (also delete's and rename's).
    static func missing(_ path: String) -> String { "Error: The path \(path) does not exist" }

    /// [docs] "Error: Invalid `insert_line` parameter: {insert_line}. It should be within the
    /// range of lines of the file: [0, {n_lines}]"
    static func invalidInsertLine(_ line: Int, lines: Int) -> String {
        "Error: Invalid `insert_line` parameter: \(line). It should be within the range of lines of the file: [0, \(lines)]"
    }

    // MARK: delete, rename

    /// [docs] "Successfully deleted {path}"
    static func deleted(_ path: String) -> String { "Successfully deleted \(path)" }

    /// [sdk] "Cannot delete the /memories directory itself"
    static let deleteRoot = "Cannot delete the /memories directory itself"

    /// [docs] "Successfully renamed {old_path} to {new_path}"
    static func renamed(_ old: String, _ new: String) -> String { "Successfully renamed \(old) to \(new)" }

    /// [docs] "Error: The destination {new_path} already exists"
    static func destinationExists(_ path: String) -> String { "Error: The destination \(path) already exists" }

    /// Reverie's, after the SDK's delete refusal.
    static let renameRoot = "Error: Cannot rename the /memories directory itself"

    /// Reverie's.
    static func intoItself(_ old: String, _ new: String) -> String {
        "Error: Cannot move \(old) into itself (\(new))"
    }

    // MARK: both edits and moves

    /// [editor] "The path {path} is a directory and only the `view` command can be used on
    /// directories" — for create, where the docs have no text; str_replace and insert answer
    /// a folder with "does not exist", as the docs say.
    static func isFolder(_ path: String) -> String {
        "Error: The path \(path) is a directory and only the `view` command can be used on directories"
    }

    /// Reverie's.
    static func parentIsFile(_ parent: String, of path: String) -> String {
        "Error: \(parent) is a file, so \(path) cannot be made inside it"
    }

    /// Reverie's: memory is Markdown (docs/architecture.md).
    static func notMarkdown(_ path: String) -> String {
        "Error: \(path) is not a memory file: memory is Markdown, so the memory tool only writes files whose names end in .md"
    }

    /// Reverie's: a folder move or delete would carry a file the tool may not touch.
    static func folderHoldsOther(_ folder: String, _ file: String) -> String {
        "Error: \(folder) holds \(file), which is not a memory file the memory tool may change; the folder is left as it is"
    }

    /// Reverie's.
    static func tooLarge(_ path: String, bytes: Int, limit: Int) -> String {
        "Error: No change was made: \(path) would be \(bytes) bytes, more than the \(limit) bytes "
            + "(\(limit / 1024) KiB) a memory file may hold. Split it into smaller files."
    }

    /// Reverie's: a storage (the disk, later) failed.
    static func storage(_ error: any Error) -> String { "Error: \(error)" }

    // MARK: pinned memory (docs/architecture.md)

    /// Reverie's.
    static func pinnedFile(_ path: String) -> String {
        "Error: \(path) is pinned by a person (front matter `pinned: true`): the memory tool cannot change, rename or delete it."
    }

    /// Reverie's.
    static func pinnedLine(_ number: Int, of path: String, line: Substring) -> String {
        "Error: Line \(number) of \(path) is pinned by a person (it carries \(pinMarker)): it cannot be changed, "
            + "moved or removed. Leave this line as it is: \(clipped(String(line), to: 200))"
    }

    /// Reverie's.
    static func unreadablePin(_ path: String, _ problem: String) -> String {
        "Error: \(path) is left as it is: its front matter cannot be read (\(problem)), so whether a person pinned it "
            + "cannot be told. A person must fix it first."
    }

    /// Reverie's.
    static func unreadableNewFrontMatter(_ path: String, _ problem: String) -> String {
        "Error: No change was made: the new front matter of \(path) cannot be read (\(problem))."
    }

    /// Reverie's.
    static func forgedPinnedFile(_ path: String) -> String {
        "Error: Only a person can pin memory: the new text of \(path) sets `pinned: true`. No change was made."
    }

    /// Reverie's.
    static func forgedPinnedLine(_ path: String) -> String {
        "Error: Only a person can pin memory: the new text of \(path) adds a line marked \(pinMarker). No change was made."
    }

    // MARK: paths

    /// [sdk] "Path must start with /memories, got: {path}"
    static func outsideMemories(_ raw: String) -> String { "Path must start with /memories, got: \(shown(raw))" }

    /// [sdk] "Path {path} would escape /memories directory"
    static func escapes(_ raw: String) -> String { "Path \(shown(raw)) would escape /memories directory" }

    /// Reverie's: why a path under /memories is still refused.
    static func pathRefused(_ raw: String, _ reason: String) -> String {
        "Error: The path \(shown(raw)) is not allowed: \(reason)."
    }

    // MARK: input

    static let example = #"{"command": "view", "path": "/memories"}"#

    /// Reverie's.
    static let notJSON = "Error: The memory tool input is not valid JSON. Send one JSON object, for example \(example)."

    /// Reverie's.
    static let notAnObject = "Error: The memory tool input must be a JSON object, for example \(example)."

    /// Reverie's, with [editor]'s list of commands: `command` missing, null or not text.
    static let missingCommand =
        "Error: Parameter `command` is required, as text. The allowed commands for the memory tool are: "
        + MemoryToolCommand.commandNames.joined(separator: ", ")

    /// [editor] "Unrecognized command {command}. The allowed commands for the {name} tool are: {…}"
    static func unrecognizedCommand(_ command: String) -> String {
        "Unrecognized command \(shown(command)). The allowed commands for the memory tool are: "
            + MemoryToolCommand.commandNames.joined(separator: ", ")
    }

    /// [editor] "Parameter `{name}` is required for command: {command}"
    static func missingParameter(_ name: String, command: String) -> String {
        "Parameter `\(name)` is required for command: \(command)"
    }

    /// Reverie's, after [editor]'s.
    static func notAString(_ name: String, command: String) -> String {
        "Parameter `\(name)` must be a string for command: \(command)"
    }

    /// Reverie's, after [editor]'s.
    static func notAnInteger(_ name: String, command: String) -> String {
        "Parameter `\(name)` must be an integer for command: \(command)"
    }

    // MARK: helpers

    /// Text the model sent, fit to be echoed: control characters spelled out (a NUL or a
    /// line break in a path must not forge lines of an answer) and long text cut.
    static func shown(_ raw: String, limit: Int = 200) -> String {
        var out = ""
        for (count, scalar) in raw.unicodeScalars.enumerated() {
            if count == limit { return out + "…" }
            if scalar.value < 0x20 || scalar.value == 0x7F {
                out += "\\u{\(String(scalar.value, radix: 16))}"
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// Long text echoed back in part: old_str may be a whole file.
    static func clipped(_ text: String, to limit: Int = 1000) -> String {
        text.count <= limit ? text : String(text.prefix(limit)) + "…"
    }

    /// A size as `du -h` prints it, which is what the docs' examples show ("4.0K", "1.5K",
    /// "17K"): one decimal below ten, rounded up. Below 1 KiB the [sdk] form: "512B".
    static func size(_ bytes: Int) -> String {
        guard bytes >= 1024 else { return "\(bytes)B" }
        let units = ["K", "M", "G", "T"]
        var unit = 0
        var divisor = 1024
        while unit < units.count - 1 && bytes >= divisor * 1024 {
            divisor *= 1024
            unit += 1
        }
        let tenths = (bytes * 10 + divisor - 1) / divisor
        if tenths < 100 { return "\(tenths / 10).\(tenths % 10)\(units[unit])" }
        let whole = (bytes + divisor - 1) / divisor
        if whole >= 1024 && unit < units.count - 1 { return "1.0\(units[unit + 1])" }
        return "\(whole)\(units[unit])"
    }
}
