import Foundation
import Git

/// The messages of automatic commits: what changed, in words a person scanning
/// `git log --oneline` reads at a glance.
public enum CommitMessage {
    /// "Update preferences.md", "Add topics/db.md, delete old.md", or for many files
    /// "Update 12 files, add 3" with every path listed in the body.
    public static func forEdits(_ changes: [EditedPath]) -> String {
        let groups: [(EditedPath.Kind, String)] = [(.modified, "update"), (.added, "add"), (.deleted, "delete")]
        let sorted = changes.sorted { $0.path < $1.path }
        var parts: [String] = []
        if changes.count <= 3 {
            for (kind, verb) in groups {
                let paths = sorted.filter { $0.kind == kind }.map { Self.quoted($0.path) }
                if !paths.isEmpty { parts.append("\(verb) \(paths.joined(separator: ", "))") }
            }
        } else {
            for (kind, verb) in groups {
                let count = sorted.filter { $0.kind == kind }.count
                if count > 0 { parts.append(parts.isEmpty ? "\(verb) \(count) files" : "\(verb) \(count)") }
            }
        }
        guard !parts.isEmpty else { return "Update memory" }
        var subject = parts.joined(separator: ", ")
        subject = subject.prefix(1).uppercased() + subject.dropFirst()
        guard changes.count > 3 else { return subject }
        let listed = sorted.prefix(100).map { change -> String in
            let mark =
                switch change.kind {
                case .added: "A"
                case .modified: "M"
                case .deleted: "D"
                }
            return "\(mark) \(Self.quoted(change.path))"
        }
        let more = sorted.count > 100 ? "\n… and \(sorted.count - 100) more" : ""
        return subject + "\n\n" + listed.joined(separator: "\n") + more + "\n"
    }

    /// The one commit of what Claude Code's background consolidation changed.
    public static func forConsolidation(_ changes: [EditedPath]) -> String {
        let edits = forEdits(changes)
        let subject = edits.prefix { $0 != "\n" }
        let listed = edits.contains("\n\n") ? String(edits[edits.range(of: "\n\n")!.upperBound...]) : ""
        return """
            Claude Code consolidated memory: \(subject.prefix(1).lowercased() + subject.dropFirst())

            Committed when Claude Code's \(ConsolidationLock.name) went away: everything in the folder \
            changed while it was held. `reverie rollback <this commit>` undoes it.
            \(listed.isEmpty ? "" : "\n" + listed.trimmingCharacters(in: .newlines) + "\n")
            \(ReverieTrailer.consolidation.line("claude-code"))
            """
    }

    /// A path as git quotes it when it holds control characters or quotes: a file name
    /// with line breaks must not write lines (trailers) into the message.
    static func quoted(_ path: String) -> String {
        guard path.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F || $0 == "\"" || $0 == "\\" })
        else {
            return path
        }
        var text = "\""
        for scalar in path.unicodeScalars {
            switch scalar {
            case "\n": text += "\\n"
            case "\t": text += "\\t"
            case "\r": text += "\\r"
            case "\"": text += "\\\""
            case "\\": text += "\\\\"
            case _ where scalar.value < 0x20 || scalar.value == 0x7F: text += String(format: "\\%03o", scalar.value)
            default: text.unicodeScalars.append(scalar)
            }
        }
        return text + "\""
    }
}
