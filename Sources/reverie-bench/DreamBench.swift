import Dreaming
import Foundation
import Git
import Memory

/// Merging a 100-change dream into main (with its checkout) and rolling it back, against
/// `git merge --no-ff` and `git revert -m 1` on an identical repo, in the same run.
enum DreamBench {
    static func run(files: Int, changes: Int, rounds: Int) throws {
        say("\nDream merge and rollback: \(changes) changes in a repo of \(files) files, median of \(rounds) rounds")
        // Right after the dream (main as the dream found it), and after a person committed
        // elsewhere meanwhile, which takes a real three-way merge.
        for personCommits in [false, true] {
            try run(files: files, changes: changes, rounds: rounds, personCommits: personCommits)
        }
    }

    static func run(files: Int, changes: Int, rounds: Int, personCommits: Bool) throws {
        var merge: [Double] = [], gitMerge: [Double] = [], rollback: [Double] = [], gitRevert: [Double] = []
        for round in 0..<rounds {
            let ours = try Workspace(files: files, name: "dream-ours")
            let cli = try Workspace(files: files, name: "dream-cli")
            let id = "20261125-0300\(String(format: "%02d", round))"
            for workspace in [ours, cli] { try writeDream(id: id, changes: changes, in: workspace) }
            // A fresh handle per command, as each `reverie approve` or `rollback` is a new process.
            func book() throws -> DreamBook {
                DreamBook(memory: MemoryRepo(repository: try Repository.open(at: ours.path)))
            }
            let edited = ours.paths[1]  // a file the dream leaves alone
            func personEdit(_ text: String) throws {
                guard personCommits else { return }
                for workspace in [ours, cli] {
                    try workspace.append(edited, "- \(text)\n")
                    try workspace.shell("git commit -q -am 'Edit \(edited)'")
                }
            }

            try personEdit("before the merge")
            var approving = try book()
            merge.append(try Bench.time { try approving.approve(id) })
            gitMerge.append(try Bench.time { try cli.shell("git merge -q --no-ff -m 'Dream \(id)' dreams/\(id)") })
            try ours.requireClean()
            try cli.requireClean()

            try personEdit("before the rollback")
            approving = try book()
            rollback.append(try Bench.time { try approving.rollback(id) })
            let merged = personCommits ? "HEAD~1" : "HEAD"
            gitRevert.append(try Bench.time { try cli.shell("git revert -m 1 --no-edit \(merged) >/dev/null") })
            try ours.requireClean()
            try cli.requireClean()
        }
        let when = personCommits ? ", main moved" : ""
        Bench.report(
            "merge a \(changes)-change dream\(when)", reverie: Bench.median(merge), git: Bench.median(gitMerge),
            gitLabel: "git merge --no-ff")
        Bench.report(
            "roll it back\(when)", reverie: Bench.median(rollback), git: Bench.median(gitRevert),
            gitLabel: "git revert -m 1")
    }

    /// The same dream on both repos: the record of sessions, then one commit per change,
    /// each editing its own memory file, as the dream writer makes them.
    static func writeDream(id: String, changes: Int, in workspace: Workspace) throws {
        let repository = try Repository.open(at: workspace.path)
        let branch = "dreams/\(id)"
        let base = try repository.tip(ofBranch: Repository.mainBranch)!
        var tip = try repository.commit(
            [.write(SessionLedger.path(forDream: id), "1\tsession\n")], onBranch: branch, base: base,
            message: "Record the sessions\n\nReverie-Dream: \(id)\nReverie-Change: sessions")
        for change in 0..<changes {
            let path = workspace.paths[change * workspace.paths.count / changes]
            let text = "# Note\n\n- a memory about \(path), consolidated\n- and another line\n"
            tip = try repository.commit(
                [.write(path, text)], onBranch: branch, base: tip,
                message: "Consolidate \(path)\n\nReverie-Dream: \(id)\nReverie-Change: merge")
        }
    }
}
