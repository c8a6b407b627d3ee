import Foundation
import Git
import TestSupport
import Testing

/// A teammate's main merged into ours without ever stopping: same lines keep ours in one
/// tree and theirs in the other, every other change of both merged, no conflict marker.
@Suite struct SyncMergeTests {
    @Test func sameLinesSplitIntoOursAndTheirsAndTheRestMerges() throws {
        let fixture = try GitFixture(files: [
            "notes.md": "- one\n- two\n- three\n- four\n- five\n- six\n", "gone.md": "- old\n",
        ])
        let repo = fixture.repo, dir = fixture.dir
        let base = try repo.tip(ofBranch: "main")!
        try dir.git("checkout", "-q", "-b", "theirs")
        try dir.write("notes.md", "- one, theirs\n- two\n- three\n- four\n- five\n- six, theirs\n")
        try dir.write("gone.md", "- old, changed by them\n")
        try dir.git("commit", "-qam", "Theirs")
        try dir.git("checkout", "-q", "main")
        try dir.write("notes.md", "- one, ours\n- two\n- three\n- four, ours\n- five\n- six\n")
        try dir.remove("gone.md")
        let ours = try #require(try repo.commitWorkingTree(paths: ["notes.md", "gone.md"], message: "Ours"))
        let theirs = try repo.resolve("theirs")
        #expect(try repo.mergeBase(ours, theirs) == base)

        let merge = try repo.mergeKeepingOurs(theirs, into: ours)
        #expect(merge.conflicted == ["gone.md", "notes.md"])
        func text(_ tree: ObjectID, _ path: String) throws -> String? {
            let commit = try repo.commit(
                tree: tree, parents: [ours], message: "look", onReference: "refs/reverie/test/\(UUID())")
            return try repo.readFile(path, at: commit.hex).map { String(decoding: $0, as: UTF8.self) }
        }
        #expect(
            try text(merge.tree, "notes.md") == "- one, ours\n- two\n- three\n- four, ours\n- five\n- six, theirs\n")
        #expect(
            try text(merge.theirsTree, "notes.md")
                == "- one, theirs\n- two\n- three\n- four, ours\n- five\n- six, theirs\n")
        #expect(try text(merge.tree, "gone.md") == nil)  // our deletion stands on main
        #expect(try text(merge.theirsTree, "gone.md") == "- old, changed by them\n")
        #expect(try dir.fsck() == "")
    }
}
