import Git
import Memory

/// What `main`'s own history says about dreams: which were merged by Reverie (and by
/// which commit) and which were rolled back.
struct MainEvents {
    var merges: [String: ObjectID] = [:]
    var rolledBack: Set<String> = []
    var tip: ObjectID?

    /// Main's first-parent history, read back.
    ///
    /// - Parameter base: only what happened on main beyond this commit's history (a
    ///   dream's base or tip: nothing about that dream can be older), so one dream's state
    ///   does not cost a walk of main's whole history.
    static func read(in repository: Repository, since base: ObjectID? = nil) throws(GitError) -> MainEvents {
        var events = MainEvents()
        events.tip = try repository.tip(ofBranch: Repository.mainBranch)
        guard events.tip != nil else { return events }
        events.record(try repository.log(firstParentOnly: true, hiding: base))
        return events
    }

    /// Takes in main's first-parent commits, newest first: the newest decision about a
    /// dream (a merge or a rollback) is the one that stands.
    mutating func record(_ commits: [CommitInfo]) {
        var decided = Set<String>()
        for commit in commits {
            if let id = commit.values(of: .rollback).first, decided.insert(id).inserted {
                rolledBack.insert(id)
            } else if let id = commit.values(of: .dream).first, commit.has(.merge) {
                if merges[id] == nil { merges[id] = commit.id }
                decided.insert(id)
            }
        }
    }
}
