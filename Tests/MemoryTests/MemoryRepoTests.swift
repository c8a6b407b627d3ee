import Foundation
import Git
import Memory
import TestSupport
import Testing

@Suite struct MemoryRepoTests {
    @Test func initMakesANewRepoWithOneCommitAndIsIdempotent() throws {
        let dir = try Scratch()
        let path = dir.url("memory")
        let (_, report) = try MemoryRepo.initialize(at: path)
        #expect(report.createdRepository)
        #expect(report.wroteFiles == [".reverie/config.toml", ".gitignore"])
        let git = { (args: [String]) throws -> String in try Shell.check("git", args, in: path) }
        #expect(try git(["log", "--format=%s", "main"]) == "Start memory repo\n")
        #expect(try git(["symbolic-ref", "--short", "HEAD"]) == "main\n")
        #expect(try git(["ls-files"]) == ".gitignore\n.reverie/config.toml\n")
        #expect(try git(["status", "--porcelain"]) == "")
        // The ignore rules really keep editor files out.
        for name in ["a.md.swp", ".a.md.swx", "a.md~", "4913", ".#a.md", "#a.md#", ".DS_Store"] {
            #expect(try Shell.run("git", ["check-ignore", "-q", name], in: path).status == 0, "\(name)")
        }
        #expect(try Shell.run("git", ["check-ignore", "-q", "notes.md"], in: path).status == 1)

        let (_, again) = try MemoryRepo.initialize(at: path)
        #expect(again.commit == nil && again.wroteFiles.isEmpty && !again.createdRepository)
        #expect(try git(["rev-list", "--count", "main"]) == "1\n")
        #expect(try git(["fsck", "--strict", "--no-dangling"]) == "")
    }

    @Test func initOfAFolderOfNotesCommitsThemAll() throws {
        let dir = try Scratch()
        try dir.write("prefs.md", "# Preferences\n")
        try dir.write("topics/db.md", "# DB\n")
        let (_, report) = try MemoryRepo.initialize(at: dir.path)
        #expect(report.commit != nil)
        #expect(try dir.git("ls-files") == ".gitignore\n.reverie/config.toml\nprefs.md\ntopics/db.md\n")
        #expect(try dir.fsck() == "")
    }

    @Test func adoptsARepoOnMainAndLeavesThePersonsPendingEditsAlone() throws {
        let dir = try Scratch()
        try dir.git("init", "-q", "-b", "main")
        try dir.write("notes.md", "# Notes\n")
        try dir.write(".gitignore", "build/\n")
        try dir.git("add", "-A")
        try dir.git("commit", "-qm", "My notes")
        try dir.write("notes.md", "# Notes\n\n- half written\n")

        let (_, report) = try MemoryRepo.initialize(at: dir.path)
        #expect(!report.createdRepository)
        #expect(report.pendingLeft == ["notes.md"])
        #expect(try dir.subjects() == ["Set up Reverie", "My notes"])
        #expect(try dir.git("show", "--name-only", "--format=", "main") == ".gitignore\n.reverie/config.toml\n")
        #expect(try dir.read(".gitignore").hasPrefix("build/\n\n# Editor and system temp files"))
        #expect(try dir.read("notes.md") == "# Notes\n\n- half written\n")
        #expect(try dir.git("status", "--porcelain") == " M notes.md\n")
    }

    @Test func refusesARepoWhoseHistoryIsOnAnotherBranchAndChangesNothing() throws {
        let dir = try Scratch()
        try dir.git("init", "-q", "-b", "master")
        try dir.write("notes.md", "# Notes\n")
        try dir.git("add", "-A")
        try dir.git("commit", "-qm", "My notes")
        #expect {
            try MemoryRepo.initialize(at: dir.path)
        } throws: { error in
            "\(error)".contains("git -C \(dir.path) branch -m master main")
        }
        #expect(!dir.exists(".reverie"))
        #expect(try dir.git("branch", "--format=%(refname:short)") == "master\n")
    }

    @Test func adoptsAFreshGitInitWhateverItsFirstBranchIsCalled() throws {
        let dir = try Scratch()
        try dir.git("init", "-q", "-b", "master")
        _ = try MemoryRepo.initialize(at: dir.path)
        #expect(try dir.git("branch", "--format=%(refname:short)") == "main\n")
    }

    @Test func initRefusesAFileAndABrokenConfig() throws {
        let dir = try Scratch()
        try dir.write("file", "x")
        #expect(throws: MemoryError.self) { try MemoryRepo.initialize(at: dir.url("file")) }
        try dir.write("memory/.reverie/config.toml", "[watch]\ndebounce_ms = -1\n")
        #expect(
            throws: MemoryError.config(
                file: ".reverie/config.toml", line: 2, key: "watch.debounce_ms",
                message: "must be a whole number of milliseconds from 0 to 60000")
        ) {
            try MemoryRepo.initialize(at: dir.url("memory"))
        }
        #expect(
            try Shell.run("git", ["rev-parse", "--verify", "-q", "main"], in: dir.url("memory")).status != 0,
            "nothing committed")
    }

    @Test func listsMemoryFilesButNotReverieGitIgnoredOrOtherFiles() throws {
        let dir = try Scratch()
        let outside = try Scratch("outside")
        try outside.write("secret.md", "outside")
        let (memory, _) = try MemoryRepo.initialize(at: dir.path)
        try dir.write("notes.md", "x")
        try dir.write("topics/db.md", "x")
        try dir.write("topics/diagram.png", "x")
        try dir.write(".reverie/prompt.md", "x")
        try dir.write("build/out.md", "x")
        try dir.write(".gitignore", "build/\n*.swp\n")
        try dir.write("notes.md.swp", "x")
        try FileManager.default.createSymbolicLink(atPath: dir.url("linked"), withDestinationPath: outside.path)
        #expect(try memory.memoryFiles().map(\.value) == ["notes.md", "topics/db.md"])
        #expect(try memory.load(RepoPath("topics/db.md")).body == "x")
        #expect(throws: MemoryError.self) { try memory.load(RepoPath("linked/secret.md")) }
    }

    @Test func statusAndHistoryTellTheStoryOfMain() throws {
        let dir = try Scratch()
        let (memory, _) = try MemoryRepo.initialize(at: dir.path)
        let repo = memory.repository
        let base = try repo.resolve("main")
        let change = try repo.commit(
            [.write("prefs.md", "- tabs\n")], onBranch: "dreams/20261125-030000", base: base,
            message: "Add prefs\n\nReverie-Dream: 20261125-030000\nReverie-Change: preference")
        _ = try repo.commit([.write("other.md", "x\n")], onBranch: "dreams/20261126-030000", base: base, message: "x")
        _ = try repo.mergeIntoMain(change, message: "Dream 20261125-030000: 1 change\n\nReverie-Dream: 20261125-030000")
        try dir.write("notes.md", "pending\n")

        let status = try memory.status()
        #expect(status.head == "main" && status.commits == 2 && status.memoryFiles == 2)
        #expect(status.pending == ["notes.md"])
        #expect(status.paused == nil)
        #expect(status.mergePolicy == "manual" && status.dreamSchedule == "daily 03:00")

        let history = try memory.history()
        #expect(history.map(\.kind) == [.dream, .edit])
        #expect(history[0].dream == "20261125-030000")
        #expect(history[1].summary == "Start memory repo")

        try dir.git("checkout", "-q", "-b", "x")
        #expect(try memory.status().paused == "HEAD is on x, not main")
    }
}
