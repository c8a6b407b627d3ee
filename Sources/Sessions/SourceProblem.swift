import Memory

/// A configured session source that cannot give transcripts as it is written, with what
/// to change: a file that is no transcript, the memory repo's own `.git`, a relative path
/// that does not exist.
public struct SourceProblem: Sendable, Equatable, CustomStringConvertible {
    /// The source as configured.
    public let source: SessionSourceSpec
    /// What is wrong and what to change.
    public let message: String

    /// A problem with `source`; `message` should say what to change.
    public init(source: SessionSourceSpec, message: String) {
        self.source = source
        self.message = message
    }

    /// `session source <label>: <message>`.
    public var description: String { "session source \(source.label): \(message)" }

    static func notAFolder(_ source: SessionSourceSpec, resolved: String) -> SourceProblem {
        SourceProblem(
            source: source,
            message: "\(resolved) is a file, not a folder of transcripts; set path to the "
                + "folder that holds the *.jsonl transcripts, or use glob to name files")
    }

    static func gitDirectory(_ source: SessionSourceSpec, resolved: String) -> SourceProblem {
        let usual =
            switch source.kind {
            case .claudeCode: " (Claude Code: ~/.claude/projects)"
            case .codex: " (Codex: ~/.codex/sessions)"
            case .reverie: ""
            }
        return SourceProblem(
            source: source,
            message: "\(resolved) is the memory repo's .git, which holds git's own files, "
                + "not transcripts; set path to where the agent writes them\(usual)")
    }

    static func missingRelative(_ source: SessionSourceSpec, resolved: String, root: String) -> SourceProblem {
        let what = source.glob == nil ? "does not exist" : "matches nothing"
        return SourceProblem(
            source: source,
            message: "\(resolved) \(what) (a relative path is read from the memory repo, "
                + "\(root)); correct the path, or give it from / or ~")
    }
}
