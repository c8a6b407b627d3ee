import Foundation

/// One entry of an `mcpServers` object in a JSON settings file a person or another tool
/// also writes (`.mcp.json`, `~/.claude.json`): inserted and taken out as text, so the
/// rest of the file keeps its bytes, its order and its formatting.
public struct JSONServerEntry: Sendable, Equatable {
    /// The server's name: its key in `mcpServers`.
    public let name: String
    /// The entry's value, compact JSON.
    public let value: String

    /// An entry `name` whose value is the compact JSON `value`.
    public init(name: String, value: String) {
        self.name = name
        self.value = value
    }

    /// Why the entry cannot be written into a file.
    public enum Problem: Error, Equatable, CustomStringConvertible {
        case notJSON
        case taken
        /// What is wrong with the file and what to do, said after its path.
        public var description: String {
            switch self {
            case .notJSON: "is not a JSON object; fix or move it, then connect again"
            case .taken: "already has another server of this name; remove it, or rename ours, then connect again"
            }
        }
    }

    private var member: String { "\"\(name)\": \(value)" }

    /// The file with the entry in `mcpServers` (made when missing); the same file when the
    /// entry is there already, as it would be written.
    public func added(to file: String) throws(Problem) -> String {
        guard let object = Self.object(file) else {
            if file.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { return Self.whole(member) }
            throw .notJSON
        }
        if let servers = object["mcpServers"] as? [String: Any], let existing = servers[name] {
            if Self.same(existing, value) { return file }
            throw .taken
        }
        let result: String
        if let servers = Self.range(ofObjectAfterKey: "mcpServers", in: file) {
            result = Self.insert(member, intoObjectAt: servers, of: file, indent: "    ")
        } else if let root = file.firstIndex(of: "{") {
            result = Self.insert("\"mcpServers\": {\n    \(member)\n  }", intoObjectAt: root, of: file, indent: "  ")
        } else {
            throw .notJSON
        }
        guard let check = Self.object(result), let servers = check["mcpServers"] as? [String: Any],
            let ours = servers[name], Self.same(ours, value)
        else { throw .notJSON }
        return result
    }

    /// The file without the entry, when it holds it as `added(to:)` wrote it; nil when not there.
    public func removed(from file: String) -> String? {
        if file == Self.whole(member) { return "" }  // a file Reverie made holds nothing else
        let forms = [
            "\n  \"mcpServers\": {\n    \(member)\n  },", "\n  \"mcpServers\": {\n    \(member)\n  }",
            "\n    \(member),", "\n    \(member)",
        ]
        for form in forms {
            guard let range = file.range(of: form) else { continue }
            let result = file.replacingCharacters(in: range, with: "")
            guard let object = Self.object(result) else { continue }
            if let servers = object["mcpServers"] as? [String: Any], servers[name] != nil { continue }
            return result
        }
        return nil
    }

    private static func whole(_ member: String) -> String { "{\n  \"mcpServers\": {\n    \(member)\n  }\n}\n" }

    /// Inserts `member` as the first member of the object whose `{` is at `brace`; what
    /// stood inside an empty object stays after it, so taking the member out restores it.
    private static func insert(
        _ member: String, intoObjectAt brace: String.Index, of file: String, indent: String
    ) -> String {
        let afterBrace = file.index(after: brace)
        let rest = file[afterBrace...]
        let isEmpty = rest.drop { $0.isWhitespace }.first == "}"
        return String(file[..<afterBrace]) + "\n\(indent)\(member)" + (isEmpty ? "" : ",") + String(rest)
    }

    /// Where the `{` of the top-level member `key`'s object value is.
    private static func range(ofObjectAfterKey key: String, in file: String) -> String.Index? {
        var depth = 0
        var index = file.startIndex
        var inString = false
        var stringStart = index
        while index < file.endIndex {
            let character = file[index]
            if inString {
                if character == "\\" {
                    index = file.index(after: index)
                } else if character == "\"" {
                    inString = false
                    let text = file[file.index(after: stringStart)..<index]
                    if depth == 1, text == key {
                        var next = file.index(after: index)
                        while next < file.endIndex, file[next].isWhitespace || file[next] == ":" {
                            next = file.index(after: next)
                        }
                        if next < file.endIndex, file[next] == "{" { return next }
                    }
                }
            } else if character == "\"" {
                inString = true
                stringStart = index
            } else if character == "{" || character == "[" {
                depth += 1
            } else if character == "}" || character == "]" {
                depth -= 1
            }
            if index < file.endIndex { index = file.index(after: index) }
        }
        return nil
    }

    private static func object(_ text: String) -> [String: Any]? {
        (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any]
    }

    private static func same(_ existing: Any, _ value: String) -> Bool {
        guard let wanted = try? JSONSerialization.jsonObject(with: Data(value.utf8)) else { return false }
        return NSDictionary(dictionary: ["v": existing]).isEqual(to: ["v": wanted])
    }
}
