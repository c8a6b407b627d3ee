import TOMLKit

/// One place transcripts come from, as `.reverie/config.toml` names it: the kind of agent
/// that wrote them and a folder, a file or a glob pattern. `~` stands for the home folder
/// of whoever runs Reverie, so a team can share one setting.
public struct SessionSourceSpec: Sendable, Equatable, Codable {
    /// The kind of agent that wrote the transcripts, which decides the parser.
    public enum Kind: String, Sendable, CaseIterable, Codable {
        case claudeCode = "claude-code"
        case codex
        case reverie
    }

    /// Which parser reads the transcripts.
    public var kind: Kind
    /// A folder (searched for `*.jsonl` at any depth) or one `*.jsonl` file; a relative
    /// path is the memory repo's (`SessionCatalog` resolves it).
    public var path: String?
    /// A pattern such as `~/agents/*/logs/*.jsonl` (shell glob, no `**`).
    public var glob: String?

    /// A source of `kind` at `path` or matching `glob`: one of the two is expected.
    public init(kind: Kind, path: String? = nil, glob: String? = nil) {
        self.kind = kind
        self.path = path
        self.glob = glob
    }

    /// The sources used when the settings name none: where Claude Code and Codex CLI keep
    /// their transcripts. Each is read only when it exists.
    public static let defaults = [
        SessionSourceSpec(kind: .claudeCode, path: "~/.claude/projects"),
        SessionSourceSpec(kind: .codex, path: "~/.codex/sessions"),
    ]

    /// How the source reads in `reverie status`: `claude-code ~/.claude/projects`.
    public var label: String { "\(kind.rawValue) \(path ?? glob ?? "")" }

    struct Problem: Error { let message: String }

    /// Reads `sources = [...]` or `[[sessions.sources]]`, or says what is wrong.
    static func parse(list value: TOMLValueConvertible) -> Result<[SessionSourceSpec], Problem> {
        guard let array = value.array else {
            return .failure(
                Problem(
                    message: "must be a list of sources such as "
                        + "[{ kind = \"claude-code\", path = \"~/.claude/projects\" }]"))
        }
        var sources: [SessionSourceSpec] = []
        for (index, element) in array.enumerated() {
            let place = "source \(index + 1)"
            guard let table = element.table else {
                return .failure(Problem(message: "\(place) must be a table with kind and path"))
            }
            for key in table.keys where !["kind", "path", "glob"].contains(key) {
                return .failure(Problem(message: "\(place): unknown key \(key); a source has kind, and path or glob"))
            }
            let kinds = Kind.allCases.map { "\"\($0.rawValue)\"" }.joined(separator: ", ")
            guard let kindText = table["kind"]?.string, let kind = Kind(rawValue: kindText) else {
                return .failure(Problem(message: "\(place): kind must be one of \(kinds)"))
            }
            let path = table["path"]?.string
            let glob = table["glob"]?.string
            guard (path == nil) != (glob == nil), !(path ?? glob ?? "").isEmpty else {
                return .failure(
                    Problem(message: "\(place): give exactly one of path (a folder or file) or glob (a pattern)"))
            }
            sources.append(SessionSourceSpec(kind: kind, path: path, glob: glob))
        }
        return .success(sources)
    }

    /// The list as TOML, for the settings template.
    static func toml(_ sources: [SessionSourceSpec]) -> String {
        "["
            + sources.map { source in
                let location = source.path.map { "path = \"\($0)\"" } ?? "glob = \"\(source.glob ?? "")\""
                return "{ kind = \"\(source.kind.rawValue)\", \(location) }"
            }.joined(separator: ", ") + "]"
    }
}

extension Array where Element == SessionSourceSpec {
    var toml: String { SessionSourceSpec.toml(self) }
}
