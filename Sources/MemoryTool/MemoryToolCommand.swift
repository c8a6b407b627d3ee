import Foundation
import Memory

/// One call of Anthropic's memory tool (`memory_20250818`), read from the model's input.
///
/// The field names are Anthropic's: `command`, `path`, `view_range`, `file_text`, `old_str`,
/// `new_str`, `insert_line`, `insert_text`, `old_path`, `new_path`. Paths stay as the model
/// wrote them: `MemoryTool` checks them, so a refused path is a tool error like any other.
public struct MemoryToolCommand: Decodable, Sendable, Equatable {
    /// The tool's `type` in an Anthropic request.
    public static let toolType = "memory_20250818"
    /// The tool's `name` in an Anthropic request.
    public static let toolName = "memory"
    /// The commands, in Anthropic's order.
    public static let commandNames = ["view", "create", "str_replace", "insert", "delete", "rename"]
    /// The largest input read, in bytes: two file-sized strings and room to spare.
    public static let maxInputBytes = 1 << 20
    /// The folder the model sees memory as: `/memories/x.md` is `x.md` in the memory repo.
    public static let root = Texts.root

    /// Checks a path the model gave by the rules every command applies (under `/memories`,
    /// no traversal in any spelling, nothing hidden, the repo's path rules) and maps it into
    /// the repo: `/memories/x.md` → `x.md`, `/memories` → nil. Tools beside the memory tool
    /// (`reverie mcp`'s history) take paths through here, so one set of rules holds.
    /// - Throws: the text a command would answer for that path.
    public static func memoryPath(_ raw: String) throws(MemoryToolInputError) -> RepoPath? {
        do throws(ToolFailure) {
            return try MemoryToolPath(checking: raw).repoPath
        } catch {
            throw MemoryToolInputError(error.text)
        }
    }

    /// A repo path as the memory tool's answers show it: `/memories/x.md`, or `/memories`.
    public static func shown(_ path: RepoPath?) -> String { MemoryToolPath(path).shown }

    /// Lines `first` through `last` of a file, counted from 1; `last` -1 means the end.
    public struct ViewRange: Sendable, Equatable, CustomStringConvertible {
        /// The first line shown, from 1.
        public let first: Int
        /// The last line shown, or -1 for the file's end.
        public let last: Int

        /// Lines `first` through `last`, as the model asked; checked against the file when run.
        public init(first: Int, last: Int) {
            self.first = first
            self.last = last
        }

        /// As Anthropic's texts print it (a Python list): `[1, 10]`.
        public var description: String { "[\(first), \(last)]" }
    }

    /// What to do, with its arguments.
    public enum Action: Sendable, Equatable {
        /// Lists a folder two levels deep, or shows a file (or some of its lines) numbered.
        case view(path: String, viewRange: ViewRange?)
        /// Makes a new file; never replaces one.
        case create(path: String, fileText: String)
        /// Replaces the one occurrence of `oldStr` in a file.
        case strReplace(path: String, oldStr: String, newStr: String)
        /// Inserts lines after line `insertLine` (0: at the top).
        case insert(path: String, insertLine: Int, insertText: String)
        /// Removes a file, or a folder and everything in it.
        case delete(path: String)
        /// Moves a file or a folder.
        case rename(oldPath: String, newPath: String)
    }

    /// The command and its arguments.
    public let action: Action

    /// A command made in code rather than read from input.
    public init(_ action: Action) { self.action = action }

    /// Reads the tool input, a JSON object. Arguments from OpenAI-compatible servers arrive
    /// as text and are sometimes JSON text inside a JSON string: that is unwrapped once.
    public init(json: Data) throws(MemoryToolInputError) {
        guard json.count <= Self.maxInputBytes else {
            throw MemoryToolInputError(
                "Error: The memory tool input is \(json.count) bytes; at most \(Self.maxInputBytes) bytes are read.")
        }
        self = try Self.decode(json, unwrapping: true)
    }

    /// Reads the tool input from JSON text.
    public init(json: String) throws(MemoryToolInputError) {
        try self.init(json: Data(json.utf8))
    }

    private static func decode(_ json: Data, unwrapping: Bool) throws(MemoryToolInputError) -> MemoryToolCommand {
        do {
            return try JSONDecoder().decode(MemoryToolCommand.self, from: json)
        } catch let error as MemoryToolInputError {
            guard unwrapping, let inner = try? JSONDecoder().decode(String.self, from: json) else { throw error }
            do throws(MemoryToolInputError) {
                return try decode(Data(inner.utf8), unwrapping: false)
            } catch {
                // A string that holds no JSON is just a string: not the object asked for.
                throw error.message == Texts.notJSON ? MemoryToolInputError(Texts.notAnObject) : error
            }
        } catch {
            throw MemoryToolInputError(Texts.notJSON)
        }
    }

    /// Decodes the input object; every problem is a `MemoryToolInputError` for the model.
    public init(from decoder: any Decoder) throws {
        let container: KeyedDecodingContainer<Key>
        do {
            container = try decoder.container(keyedBy: Key.self)
        } catch {
            throw MemoryToolInputError(Texts.notAnObject)
        }
        let command: String
        do {
            command = try container.decode(String.self, forKey: Key("command"))
        } catch {
            throw MemoryToolInputError(Texts.missingCommand)
        }
        let input = Fields(container: container, command: command)
        switch command {
        case "view":
            action = .view(path: try input.string("path"), viewRange: try input.viewRange())
        case "create":
            action = .create(path: try input.string("path"), fileText: try input.string("file_text"))
        case "str_replace":
            // As in Anthropic's editor tool, a missing new_str deletes old_str.
            action = .strReplace(
                path: try input.string("path"), oldStr: try input.string("old_str"),
                newStr: try input.optionalString("new_str") ?? "")
        case "insert":
            action = .insert(
                path: try input.string("path"), insertLine: try input.integer("insert_line"),
                insertText: try input.string("insert_text"))
        case "delete":
            action = .delete(path: try input.string("path"))
        case "rename":
            action = .rename(oldPath: try input.string("old_path"), newPath: try input.string("new_path"))
        default:
            throw MemoryToolInputError(Texts.unrecognizedCommand(command))
        }
    }

    /// Any key: the input is read field by field so each problem gets its own message.
    private struct Key: CodingKey {
        let stringValue: String
        var intValue: Int? { nil }
        init(_ name: String) { stringValue = name }
        init?(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    private struct Fields {
        let container: KeyedDecodingContainer<Key>
        let command: String

        func optionalString(_ name: String) throws(MemoryToolInputError) -> String? {
            let key = Key(name)
            guard container.contains(key), (try? container.decodeNil(forKey: key)) == false else { return nil }
            do {
                return try container.decode(String.self, forKey: key)
            } catch {
                throw MemoryToolInputError(Texts.notAString(name, command: command))
            }
        }

        func string(_ name: String) throws(MemoryToolInputError) -> String {
            guard let value = try optionalString(name) else {
                throw MemoryToolInputError(Texts.missingParameter(name, command: command))
            }
            return value
        }

        /// A JSON integer; also `2.0` or `"2"`, which models sometimes send for one.
        func integer(_ name: String) throws(MemoryToolInputError) -> Int {
            let key = Key(name)
            guard container.contains(key), (try? container.decodeNil(forKey: key)) == false else {
                throw MemoryToolInputError(Texts.missingParameter(name, command: command))
            }
            if let value = try? container.decode(Int.self, forKey: key) { return value }
            if let value = try? container.decode(Double.self, forKey: key), value.rounded() == value,
                let exact = Int(exactly: value)
            {
                return exact
            }
            if let text = try? container.decode(String.self, forKey: key),
                let value = Int(text.trimmingCharacters(in: .whitespaces))
            {
                return value
            }
            throw MemoryToolInputError(Texts.notAnInteger(name, command: command))
        }

        func viewRange() throws(MemoryToolInputError) -> ViewRange? {
            let key = Key("view_range")
            guard container.contains(key), (try? container.decodeNil(forKey: key)) == false else { return nil }
            guard let pair = try? container.decode([Int].self, forKey: key), pair.count == 2 else {
                throw MemoryToolInputError(Texts.viewRangeNotTwoIntegers)
            }
            return ViewRange(first: pair[0], last: pair[1])
        }
    }
}
