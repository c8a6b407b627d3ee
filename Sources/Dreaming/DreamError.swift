import Git
import Memory
import Sessions

/// Why a dream command could not do what was asked, said so a person knows what to do.
public enum DreamError: ReverieError, Sendable {
    case unknownDream(String)
    case badPath(path: String, reason: String)
    case alreadyMerged(String)
    case notMerged(String)
    case rejected(String)
    /// `editsCommitted`: the commit of a person's unsaved edits in the merge's way, made
    /// before it found the conflict (main moved by that commit, and only by it).
    case conflict(dream: String, paths: [String], editsCommitted: String? = nil)
    case noChange(dream: String, number: Int, count: Int)
    case badRevision(String)
    /// A revision that is not in main's own history.
    case notOnMain(String)
    /// A tree entry a move of main would write breaks the path rules (a crafted branch or
    /// revision); nothing was written.
    case refusedEntry(dream: String?, path: String, reason: String)
    /// A date older than every commit on main (`oldest`: that commit's short id, if any).
    case noCommitAtOrBefore(date: String, oldest: String?, oldestDate: String)
    case consolidator(name: String, message: String)
    /// Another `reverie dream` (or the daemon's scheduled dream) runs on this repo.
    case dreaming(pid: Int32?)
    /// Another program is rewriting the memory folder (Claude Code consolidating): `holder` says who.
    case memoryBusy(holder: String)
    case git(GitError)
    case memory(MemoryError)
    case sessions(SessionsError)

    /// What went wrong and what to do about it.
    public var description: String {
        switch self {
        case .unknownDream(let name):
            return "no dream \(name); `reverie dreams` lists them (name one by id, dreams/<id> or latest)"
        case .badPath(let path, let reason):
            return "the plan writes '\(path)': \(reason); nothing was written"
        case .alreadyMerged(let id):
            return "dream \(id) is already merged into main; `reverie rollback \(id)` undoes it"
        case .notMerged(let id):
            return
                "dream \(id) is not merged into main, so there is nothing to roll back; `reverie reject \(id)` drops it"
        case .rejected(let id):
            return "dream \(id) was rejected; its commits are under \(DreamRef.rejected(id))"
        case .conflict(let dream, let paths, let edits):
            let outcome =
                edits.map { "your uncommitted edits there were committed first as \($0), and the dream was not merged" }
                ?? "main is unchanged"
            return "dream \(dream) conflicts with edits on main in \(paths.joined(separator: ", ")); \(outcome). "
                + "Merge it by hand (git merge dreams/\(dream)) or reject it"
        case .noChange(let dream, let number, let count):
            return "dream \(dream) has no change \(number); its changes are 1 to \(count) (`reverie show \(dream)`)"
        case .notOnMain(let text):
            return "\(text) is not in main's history; `rollback --to` restores main as it was at a commit or date "
                + "of its own (`reverie log` lists them)"
        case .badRevision(let text):
            return "'\(text)' is neither a revision of this repo nor a date such as 2026-11-24, "
                + "2026-11-24T15:00 (local time) or 2026-11-24T15:00:00Z"
        case .refusedEntry(let dream?, let path, let reason):
            return
                "dream \(dream) is refused: its entry '\(path)' \(reason.hasPrefix("it ") ? String(reason.dropFirst(3)) : reason); "
                + "nothing was written and main is unchanged. Someone made this branch outside Reverie: "
                + "`reverie reject \(dream)` drops it"
        case .refusedEntry(nil, let path, let reason):
            return "refused: the entry '\(path)' \(reason.hasPrefix("it ") ? String(reason.dropFirst(3)) : reason); "
                + "nothing was written and main is unchanged"
        case .noCommitAtOrBefore(let date, let oldest, let oldestDate):
            guard let oldest else { return "main has no commits yet, so there is nothing as of \(date) to restore" }
            return "main has no commit at or before \(date); its oldest commit, \(oldest), is from \(oldestDate). "
                + "Give a later date, or a revision"
        case .dreaming(let pid):
            return "another dream is being made in this repo\(pid.map { " (pid \($0))" } ?? ""); wait for it to finish"
        case .memoryBusy(let holder):
            return
                "\(holder); nothing was changed. Try again when it is done (the daemon commits what it changed as one commit)"
        case .consolidator(let name, let message):
            return "consolidator \(name) failed: \(message)"
        case .git(let error):
            return error.description
        case .memory(let error):
            return error.description
        case .sessions(let error):
            return error.description
        }
    }
}
