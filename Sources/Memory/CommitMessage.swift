import Git

/// The messages of automatic commits: what changed, in words a person scanning
/// `git log --oneline` reads at a glance.
public enum CommitMessage {
    /// "Update preferences.md", "Add topics/db.md, delete old.md", or for many files
    /// "Update 12 files, add 3" with every path listed in the body.
    public static func forEdits(_ changes: [PathChange]) -> String {
        let groups: [(PathChange.Kind, String)] = [(.modified, "update"), (.added, "add"), (.deleted, "delete")]
        let sorted = changes.sorted { $0.path < $1.path }
        var parts: [String] = []
        if changes.count <= 3 {
            for (kind, verb) in groups {
                let paths = sorted.filter { $0.kind == kind }.map(\.path)
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
            let mark = switch change.kind { case .added: "A"; case .modified: "M"; case .deleted: "D" }
            return "\(mark) \(change.path)"
        }
        let more = sorted.count > 100 ? "\n… and \(sorted.count - 100) more" : ""
        return subject + "\n\n" + listed.joined(separator: "\n") + more + "\n"
    }
}
