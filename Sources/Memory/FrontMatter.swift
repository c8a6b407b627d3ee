import Foundation
import Yams

/// The YAML block between `---` lines at the top of a memory file.
public struct FrontMatter: Sendable, Equatable {
    /// A one-line summary, used for the memory index.
    public var description: String?
    /// A person's word that a dream must never change this file.
    public var pinned: Bool
    /// The YAML text as written, kept so rewriting a file never reorders or drops keys.
    public var yaml: String
    /// Why the block is not valid YAML, when it is not (file:line and the problem).
    ///
    /// Real rule files often are not: Cursor's `globs: **/*.ts` starts a YAML alias. Such a
    /// block is still read, line by line as top-level `key: value` pairs, so one sloppy
    /// header never hides a memory; the problem is kept for a person to see.
    public var problem: MemoryError?

    /// Front matter with these values; `yaml` should be the block they were read from.
    public init(description: String? = nil, pinned: Bool = false, yaml: String = "", problem: MemoryError? = nil) {
        self.description = description
        self.pinned = pinned
        self.yaml = yaml
        self.problem = problem
    }

    /// Parses the YAML text of a front matter block that starts on line `firstLine` of `file`.
    static func parse(_ yaml: String, file: String, firstLine: Int) throws(MemoryError) -> FrontMatter {
        let loaded: Any?
        var problem: MemoryError?
        do {
            loaded = try Yams.load(yaml: yaml)
        } catch {
            let yamlError = error as? YamlError
            problem = .frontMatter(
                file: file, line: yamlError.flatMap(Self.line(of:)).map { $0 + firstLine - 1 },
                message: yamlError.map(Self.problem(of:)) ?? "\(error)")
            loaded = Self.lenientFields(yaml)
        }
        guard let loaded else { return FrontMatter(yaml: yaml) }
        guard let fields = loaded as? [String: Any] else {
            throw .frontMatter(
                file: file, line: firstLine,
                message: "expected `key: value` lines, found a \(type(of: loaded))")
        }
        var result = FrontMatter(yaml: yaml, problem: problem)
        if let value = fields["description"] {
            guard let text = value as? String else {
                throw .frontMatter(
                    file: file, line: Self.lineOfKey("description", in: yaml, from: firstLine),
                    message: "description must be text, found \(value)")
            }
            result.description = text
        }
        if let value = fields["pinned"] {
            guard let flag = value as? Bool else {
                throw .frontMatter(
                    file: file, line: Self.lineOfKey("pinned", in: yaml, from: firstLine),
                    message: "pinned must be true or false, found \(value)")
            }
            result.pinned = flag
        }
        return result
    }

    /// Top-level `key: value` lines, values unquoted, `true`/`false` as flags.
    private static func lenientFields(_ yaml: String) -> [String: Any] {
        var fields: [String: Any] = [:]
        for line in yaml.split(separator: "\n") where !line.hasPrefix(" ") && !line.hasPrefix("#") {
            guard let colon = line.firstIndex(of: ":") else { continue }
            let key = line[..<colon].trimmingCharacters(in: .whitespaces)
            var value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            if value.count >= 2, let quote = value.first, quote == "\"" || quote == "'", value.last == quote {
                value = String(value.dropFirst().dropLast())
            }
            switch value {
            case "true": fields[key] = true
            case "false": fields[key] = false
            default: fields[key] = value
            }
        }
        return fields
    }

    private static func line(of error: YamlError) -> Int? {
        switch error {
        case .scanner(_, _, let mark, _), .parser(_, _, let mark, _), .composer(_, _, let mark, _):
            return mark.line
        default:
            return nil
        }
    }

    private static func problem(of error: YamlError) -> String {
        switch error {
        case .scanner(_, let problem, _, _), .parser(_, let problem, _, _), .composer(_, let problem, _, _):
            return problem
        case .duplicatedKeysInMapping(let duplicates, _):
            return "duplicated keys: \(duplicates.joined(separator: ", "))"
        default:
            return "\(error)"
        }
    }

    private static func lineOfKey(_ key: String, in yaml: String, from firstLine: Int) -> Int {
        let lines = yaml.split(separator: "\n", omittingEmptySubsequences: false)
        let index = lines.firstIndex { $0.hasPrefix("\(key):") } ?? 0
        return firstLine + index
    }
}
