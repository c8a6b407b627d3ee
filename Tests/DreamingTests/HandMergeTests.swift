import Dreaming
import Foundation
import Git
import Memory
import TestSupport
import Testing

/// A person may merge a dream with plain git or on a forge, in any of the ways git offers,
/// and delete its branch after: Reverie still knows the dream from main's history, refuses
/// to merge it twice, and a rollback undoes exactly what reached main.
@Suite struct HandMergeTests {
    enum Way: String, CaseIterable, CustomStringConvertible {
        case mergeCommit, fastForward, squash, rebase, squashOnAForge
        var description: String { rawValue }
    }

    @Test(arguments: Way.allCases, [false, true])
    func aDreamMergedWithGitIsKnownRefusedTwiceAndRolledBackExactly(way: Way, deletingTheBranch: Bool) async throws {
        let repo = try DreamFixture()
        let report = try await repo.dream([
            DreamFixture.change(.mistake, "mistakes.md", "# Mistakes\n\n- one\n"),
            DreamFixture.change(.update, "notes.md", "# Notes\n\n- keep answers brief\n"),
        ])
        let branch = "dreams/\(report.id)"
        let before = try repo.dir.git("rev-parse", "main^{tree}").trimmed
        switch way {
        case .mergeCommit:
            try repo.dir.git("merge", "-q", "--no-ff", "-m", "Merge by hand", branch)
        case .fastForward:
            try repo.dir.git("merge", "-q", "--ff-only", branch)
        case .squash:
            try repo.dir.git("merge", "-q", "--squash", branch)
            try repo.dir.git("commit", "-qm", "Squash the dream")
        case .rebase:
            // A forge's rebase merge: the dream's commits replayed on a main that moved on.
            try repo.dir.write("people.md", "# People\n")
            try repo.dir.git("add", "people.md")
            try repo.dir.git("commit", "-qm", "A person's commit")
            try repo.dir.git("cherry-pick", "main..\(branch)")
        case .squashOnAForge:
            let forge = try Scratch("forge")
            try Shell.check("git", ["clone", "-q", "--bare", repo.dir.path, forge.path])
            let reviewer = try Scratch("reviewer")
            try Shell.check("git", ["clone", "-q", forge.path, reviewer.path])
            try reviewer.git("merge", "-q", "--squash", "origin/\(branch)")
            try reviewer.git("commit", "-qm", "Dream \(report.id) (#12)")
            try reviewer.git("push", "-q", "origin", "main")
            try repo.dir.git("pull", "-q", "--ff-only", forge.path, "main")
        }
        if deletingTheBranch { try repo.dir.git("branch", "-D", "-q", branch) }
        let merged = try repo.dir.git("rev-parse", "main")

        #expect(try repo.book.list().map(\.id) == [report.id], "\(way)")
        #expect(try repo.book.list().map(\.state) == [.merged], "\(way)")
        #expect(try repo.book.resolve("latest") == report.id)
        #expect(throws: DreamError.self, "\(way)") { try repo.book.approve(report.id) }
        #expect(try repo.dir.git("rev-parse", "main") == merged, "\(way): approving again changed main")

        try repo.book.rollback(report.id)
        #expect(try repo.book.list().map(\.state) == [.rolledBack], "\(way)")
        #expect(try repo.dir.read("notes.md") == "# Notes\n\n- keep answers short\n", "\(way)")
        #expect(!repo.dir.exists("mistakes.md"), "\(way)")
        if way == .rebase {
            #expect(try repo.dir.read("people.md") == "# People\n")  // the person's commit stays
        } else {
            // Memory as before; the record of sessions read stays, so they are not dreamt again.
            #expect(
                try repo.dir.git("diff", "--name-only", before, "main") == ".reverie/dreams/\(report.id).sessions\n",
                "\(way)")
        }
        #expect(throws: DreamError.self) { try repo.book.rollback(report.id) }
        #expect(try repo.dir.git("status", "--porcelain") == "")
        #expect(try repo.fsck() == "")
    }
}
