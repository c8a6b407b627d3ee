import Git
import Memory
import MemoryTool

/// A memory file's (or folder's) commits on `main` as the `history` tool answers them: short
/// id, date (ISO 8601, UTC), author and subject, newest first, with what Reverie did marked
/// from the commit's trailers: dream merges, rollbacks, restores and agents' edits.
enum MemoryHistory {
    /// Commits returned when the agent gives no `limit`, and the most it may ask for.
    static let defaultLimit = 20, maxLimit = 200

    /// The answer for `commits` of the path shown as `shown`.
    static func answer(_ commits: [CommitInfo], of shown: String, limit: Int) -> String {
        guard !commits.isEmpty else {
            return "No commit on main changed \(shown)."
        }
        var lines = ["Commits on main that changed \(shown), newest first:"]
        for commit in commits {
            let marks = Self.marks(of: commit).map { "[\($0)] " }.joined()
            lines.append(
                "\(commit.id.short)  \(MemoryRepo.timestamp(commit.author.date))  \(commit.author.name)  "
                    + marks + commit.summary)
        }
        if commits.count >= limit {
            lines.append("[Older commits may follow: ask with a larger `limit` (at most \(maxLimit)) to see them.]")
        }
        // Commit messages are history a person wrote; a secret in one is not repeated here.
        return SecretScanner.redact(lines.joined(separator: "\n")).text
    }

    /// What Reverie's trailers (and the commit's shape) say it was.
    static func marks(of commit: CommitInfo) -> [String] {
        var marks: [String] = []
        let dream = commit.values(of: .dream).first
        if let dream, commit.has(.merge) {
            marks.append("dream merge \(dream)")
        } else if let dream {
            marks.append("dream \(dream)")
        } else if commit.isMerge {
            marks.append("merge")
        }
        for id in commit.values(of: .rollback) { marks.append("rollback of dream \(id)") }
        for id in commit.values(of: .restore) { marks.append("restore of \(id.prefix(7))") }
        for agent in commit.values(of: .agent) { marks.append("agent \(agent)") }
        return marks
    }
}
