import Foundation
import Git
import TestSupport
import Testing

@Suite struct WorkingTreeCommitTests {
    @Test func commitsEditsAddsAndDeletesAndLeavesStatusClean() throws {
        let fixture = try GitFixture()
        try fixture.dir.write("notes.md", "# Notes\n\n- first\n- second\n")
        try fixture.dir.write("topics/db.md", "# Databases\n")
        try fixture.dir.remove("prefs.md")
        let id = try fixture.repo.commitWorkingTree(
            paths: ["notes.md", "topics/db.md", "prefs.md"], message: "Update notes.md", author: fixture.author)
        #expect(id?.hex == (try fixture.mainTip()))
        #expect(try fixture.dir.subjects() == ["Update notes.md", "Initial memory"])
        #expect(try fixture.dir.git("show", "main:notes.md") == "# Notes\n\n- first\n- second\n")
        #expect(try fixture.dir.git("ls-tree", "-r", "--name-only", "main") == "notes.md\ntopics/db.md\n")
        #expect(try fixture.status() == "")
        #expect(try fixture.dir.git("log", "-1", "--format=%an <%ae>") == "Reverie Test <reverie@example.com>\n")
        #expect(try fixture.dir.fsck() == "")
    }

    @Test func nothingChangedMeansNoCommit() throws {
        let fixture = try GitFixture()
        #expect(try fixture.repo.commitWorkingTree(paths: ["notes.md", "missing.md"], message: "x") == nil)
        #expect(try fixture.dir.subjects().count == 1)
    }

    @Test func aFolderPathCommitsEveryFileInItAndAGoneFolderRemovesIt() throws {
        let fixture = try GitFixture()
        try fixture.dir.write("topics/a.md", "a\n")
        try fixture.dir.write("topics/deep/b.md", "b\n")
        // The folder and a file inside it, as a watcher reports a new folder.
        try fixture.repo.commitWorkingTree(paths: ["topics", "topics/deep/b.md"], message: "Add topics")
        #expect(
            try fixture.dir.git("ls-tree", "-r", "--name-only", "main", "topics") == "topics/a.md\ntopics/deep/b.md\n")
        try FileManager.default.removeItem(atPath: fixture.dir.url("topics"))
        try fixture.repo.commitWorkingTree(paths: ["topics", "topics/a.md"], message: "Remove topics")
        #expect(try fixture.dir.git("ls-tree", "-r", "--name-only", "main") == "notes.md\nprefs.md\n")
        #expect(try fixture.status() == "")
        #expect(try fixture.dir.fsck() == "")
    }

    @Test func ignoredFilesStayOutUnlessMainAlreadyTracksThem() throws {
        let fixture = try GitFixture()
        try fixture.dir.write(".gitignore", "*.swp\n")
        try fixture.dir.write(".notes.md.swp", "vim swap")
        try fixture.repo.commitWorkingTree(paths: [".gitignore", ".notes.md.swp"], message: "Ignore swap files")
        #expect(try fixture.dir.git("ls-tree", "--name-only", "main") == ".gitignore\nnotes.md\nprefs.md\n")
    }

    @Test func executableBitsAndSymlinksAreKept() throws {
        let fixture = try GitFixture()
        try fixture.dir.write("run.sh", "#!/bin/sh\n")
        chmod(fixture.dir.url("run.sh"), 0o755)
        try FileManager.default.createSymbolicLink(atPath: fixture.dir.url("link.md"), withDestinationPath: "notes.md")
        try fixture.repo.commitWorkingTree(paths: ["run.sh", "link.md"], message: "Add script")
        let tree = try fixture.dir.git("ls-tree", "main")
        #expect(tree.contains("100755 blob") && tree.contains("\trun.sh"))
        #expect(tree.contains("120000 blob") && tree.contains("\tlink.md"))
        #expect(try fixture.status() == "")
    }

    @Test func aPersonsStagedChangeSurvivesAnAutoCommit() throws {
        let fixture = try GitFixture()
        // The person stages one file and keeps editing another.
        try fixture.dir.write("prefs.md", "# Preferences\n\n- staged by hand\n")
        try fixture.dir.git("add", "prefs.md")
        try fixture.dir.write("notes.md", "# Notes\n\n- auto\n")
        try fixture.repo.commitWorkingTree(paths: ["notes.md"], message: "Update notes.md")
        #expect(try fixture.dir.git("diff", "--cached", "--name-only") == "prefs.md\n")
        #expect(try fixture.dir.git("diff", "--cached", "prefs.md").contains("+- staged by hand"))
        #expect(try fixture.status() == "M  prefs.md\n")
        // …and their own `git commit` afterwards holds exactly what they staged.
        try fixture.dir.git("commit", "-qm", "By hand")
        #expect(try fixture.dir.subjects() == ["By hand", "Update notes.md", "Initial memory"])
        #expect(try fixture.status() == "")
        #expect(try fixture.dir.fsck() == "")
    }

    @Test func refusesPathsThatLeaveTheRepository() throws {
        let fixture = try GitFixture()
        for path in [
            "../x.md", "/etc/passwd", ".git/config", "a//b.md", "topics/../../x", "", "./notes.md", "sub/.GIT/x",
        ] {
            #expect(throws: GitError.self, "\(path)") {
                try fixture.repo.commitWorkingTree(paths: [path], message: "x")
            }
        }
        #expect(try fixture.dir.subjects().count == 1)
    }

    @Test func refusesToCommitWhileHeadIsNotMain() throws {
        let fixture = try GitFixture()
        try fixture.dir.git("checkout", "-q", "-b", "x")
        try fixture.dir.write("notes.md", "on x\n")
        #expect(throws: GitError.headNotMain(head: "x")) {
            try fixture.repo.commitWorkingTree(paths: ["notes.md"], message: "x")
        }
        #expect(try fixture.dir.subjects("x").count == 1)
        #expect(try fixture.dir.subjects("main").count == 1)
    }

    @Test func waitsForALockHeldByARunningGitProcess() throws {
        let fixture = try GitFixture()
        // A person's `git commit -a` holds index.lock while their editor is open: here until
        // Reverie has found the lock and started waiting for it.
        try fixture.dir.write("prefs.md", "# Preferences\n\n- by hand\n")
        let person = try Shell.start(
            "git", ["commit", "-q", "-a", "-e", "-m", "By hand"], in: fixture.dir.path,
            environment: [
                "GIT_EDITOR": "touch .git/editor-open && until [ -e .git/editor-close ]; do sleep 0.01; done; true"
            ])
        #expect(Wait.until { fixture.dir.exists(".git/editor-open") })
        #expect(fixture.dir.exists(".git/index.lock"), "git commit should hold index.lock")

        try fixture.dir.write("notes.md", "# Notes\n\n- while locked\n")
        let closeEditor = fixture.dir.url(".git/editor-close")
        fixture.repo.retryPolicy.clock = WaitClock(
            now: { Date() },
            sleep: { duration in
                _ = FileManager.default.createFile(atPath: closeEditor, contents: nil)
                WaitClock.system.sleep(duration)
            })
        let id = try fixture.repo.commitWorkingTree(paths: ["notes.md"], message: "Update notes.md")
        #expect(fixture.dir.exists(".git/editor-close"), "Reverie waited for the lock")
        #expect(person.wait(seconds: 60).status == 0)
        #expect(id != nil)
        #expect(Set(try fixture.dir.subjects()) == ["By hand", "Update notes.md", "Initial memory"])
        #expect(try fixture.dir.git("show", "main:notes.md").contains("while locked"))
        #expect(try fixture.dir.git("show", "main:prefs.md").contains("by hand"))
        #expect(try fixture.status() == "")
        #expect(try fixture.dir.fsck() == "")
    }

    @Test func givesUpOnALockThatStaysAndNeverDeletesIt() throws {
        let fixture = try GitFixture()
        fixture.repo.retryPolicy = RetryPolicy(delaysMilliseconds: [1, 1, 1])
        try fixture.dir.write(".git/index.lock", "")
        try fixture.dir.write("notes.md", "changed\n")
        #expect {
            try fixture.repo.commitWorkingTree(paths: ["notes.md"], message: "x")
        } throws: { error in
            guard case GitError.locked = error else { return false }
            return "\(error)".contains("wait for it to finish")
        }
        #expect(fixture.dir.exists(".git/index.lock"))
        #expect(try fixture.dir.subjects().count == 1)
    }

    @Test func mainMovingUnderneathIsRetriedAndNothingIsLost() throws {
        let fixture = try GitFixture()
        // The git CLI commits one file in a loop while Reverie commits another.
        let script = """
            for i in $(seq 1 15); do
              echo "cli $i" > cli.md
              until git add cli.md 2>/dev/null && git commit -qm "cli $i" 2>/dev/null; do sleep 0.01; done
            done
            """
        let person = try Shell.start("sh", ["-c", script], in: fixture.dir.path)
        var ours: [ObjectID] = []
        for i in 1...15 {
            try fixture.dir.write("notes.md", "reverie \(i)\n")
            if let id = try fixture.repo.commitWorkingTree(paths: ["notes.md"], message: "reverie \(i)") {
                ours.append(id)
            }
        }
        #expect(person.wait(seconds: 60).status == 0)
        // A reconcile, as the daemon does on every start, commits whatever is still pending.
        try fixture.repo.commitWorkingTree(paths: fixture.repo.pendingPaths(), message: "reconcile")

        let history = try fixture.dir.git("rev-list", "--first-parent", "main")
        for id in ours { #expect(history.contains(id.hex), "main is append-only: \(id.short) must stay") }
        #expect(try fixture.dir.git("show", "main:notes.md") == "reverie 15\n")
        #expect(try fixture.dir.git("show", "main:cli.md") == "cli 15\n")
        #expect(try fixture.dir.git("rev-list", "--merges", "main") == "", "history stays linear")
        #expect(try fixture.status() == "")
        #expect(try fixture.dir.fsck() == "")
    }

    @Test func pendingPathsListsEveryKindOfChangeButIgnoredFiles() throws {
        let fixture = try GitFixture()
        try fixture.dir.write(".gitignore", "*.tmp\n")
        try fixture.repo.commitWorkingTree(paths: [".gitignore"], message: "ignore")
        try fixture.dir.write("notes.md", "edited\n")
        try fixture.dir.remove("prefs.md")
        try fixture.dir.write("new/deep.md", "new\n")
        try fixture.dir.write("scratch.tmp", "ignored\n")
        #expect(try fixture.repo.pendingPaths() == ["new/deep.md", "notes.md", "prefs.md"])
    }

    @Test func aFileWhoseNameIsNotUTF8IsNotPendingButNamedEscaped() throws {
        let fixture = try GitFixture()
        // Names are bytes: \377\376 is no UTF-8; caf\303\251 is "café", then a lone \351.
        try Shell.check(
            "sh",
            [
                "-c",
                "printf 'x\\n' > \"$(printf '\\377\\376.md')\"; mkdir sub; "
                    + "printf 'y\\n' > \"sub/$(printf 'caf\\303\\251-\\351.md')\"",
            ], in: fixture.dir.path)
        try fixture.dir.write("notes.md", "edited\n")
        let pending = try fixture.repo.pending()
        #expect(pending.paths == ["notes.md"])
        #expect(pending.notUTF8 == ["\\xff\\xfe.md", "sub/café-\\xe9.md"])
        #expect(try fixture.repo.pendingPaths() == ["notes.md"])
        #expect(
            PendingPaths.notCommittedReason(pending.notUTF8[1]).hasSuffix("mv $'sub/café-\\xe9.md' sub/new-name.md"))
        try fixture.repo.commitWorkingTree(paths: pending.paths, message: "Edit")
        // git sees both files untracked, byte for byte, and nothing else.
        let status = try Shell.check(
            "sh", ["-c", "git status --porcelain -z --untracked-files=all | od -An -c | tr -s ' \\n' ' '"],
            in: fixture.dir.path)
        #expect(status == " ? ? s u b / c a f 303 251 - 351 . m d \\0 ? ? 377 376 . m d \\0 ", "\(status)")
        #expect(try fixture.dir.git("show", "main:notes.md") == "edited\n")
    }
}

@Suite struct BulkCommitTests {
    @Test func aLargeBurstIsStoredAsOnePackAndCommittedWhole() throws {
        let fixture = try GitFixture()
        let paths = (0..<300).map { "bulk/\($0 % 7)/note-\($0).md" }
        for (i, path) in paths.enumerated() { try fixture.dir.write(path, "# Note \(i)\n") }
        try fixture.dir.write("notes.md", "# Notes\n\n- edited in the same burst\n")
        let id = try fixture.repo.commitWorkingTree(paths: paths + ["notes.md"], message: "Bulk")
        #expect(id != nil)
        #expect(try fixture.dir.git("ls-tree", "-r", "--name-only", "main", "bulk").split(separator: "\n").count == 300)
        #expect(try fixture.dir.git("show", "main:bulk/3/note-3.md") == "# Note 3\n")
        let packs = try FileManager.default.contentsOfDirectory(atPath: fixture.dir.url(".git/objects/pack"))
        #expect(packs.filter { $0.hasSuffix(".pack") }.count == 1)
        #expect(try fixture.status() == "")
        #expect(try fixture.dir.fsck() == "")
    }
}
