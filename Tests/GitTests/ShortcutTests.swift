import Foundation
import Git
import TestSupport
import Testing

/// The shortcuts that make moving main cheap in a large memory each replace a libgit2 or
/// git routine; here each is held to what git itself says on the same repository.
@Suite struct ShortcutTests {
    static let emptyTree = "4b825dc642cb6eb9a060e54bf8d69288fbee4904"

    /// Our tree comparison skips folders whose ids match; it must name exactly the files
    /// `git diff-tree -r` names, also where a file became a folder or the reverse.
    @Test(arguments: [1, 2, 3] as [UInt64])
    func changedPathsAreWhatGitDiffTreeLists(seed: UInt64) throws {
        let fixture = try GitFixture()
        var random = SeededRandom(seed: seed)
        let names = ["a.md", "b.md", "x", "deep/c.md", "deep/er/d.md", "x/e.md", "a.md/f.md"]
        let commits = try Self.randomHistory(
            fixture, branch: "walk", from: fixture.repo.resolve("main"), steps: 30,
            names: names, random: &random)
        for _ in 0..<40 {
            let from = random.pick(commits), to = random.pick(commits)
            let ours = try fixture.repo.changedPaths(from: from, to: to)
            let git = try fixture.dir.git("diff-tree", "-r", "--no-renames", "--name-only", from.hex, to.hex)
            #expect(ours == Set(git.split(separator: "\n").map(String.init)).sorted(), "\(from.short)..\(to.short)")
        }
        let last = commits.last!
        let everything = try fixture.dir.git("diff-tree", "-r", "--name-only", Self.emptyTree, last.hex)
        #expect(
            try fixture.repo.changedPaths(from: nil, to: last)
                == everything.split(separator: "\n").map(String.init).sorted())
    }

    /// A merge with nothing to decide edits one side's tree with the other side's changes
    /// (the shorter list); its tree must be the one `git merge-tree` writes, and where git
    /// finds a conflict there must be one too (or the merge libgit2 makes is taken).
    @Test(arguments: [1, 2, 3, 4] as [UInt64])
    func cleanMergesWriteTheTreeGitWrites(seed: UInt64) throws {
        let fixture = try GitFixture()
        var random = SeededRandom(seed: seed)
        let base = try fixture.repo.resolve("main")
        let names = ["a.md", "b.md", "x", "deep/c.md", "deep/er/d.md", "x/e.md", "a.md/f.md", "notes.md", "prefs.md"]
        var tips: [String: [ObjectID]] = [:]
        for branch in ["ours", "theirs"] {
            tips[branch] = try Self.randomHistory(
                fixture, branch: branch, from: base, steps: 2 + random.below(12),
                names: names, random: &random)
        }
        for _ in 0..<30 {
            let ours = random.pick(tips["ours"]!), theirs = random.pick(tips["theirs"]!)
            let git = try fixture.dir.gitResult("merge-tree", "--write-tree", ours.hex, theirs.hex)
            let merged = try fixture.repo.mergeTree(theirs, into: ours)
            if git.status == 0 {
                #expect(
                    merged == .clean(tree: ObjectID(hex: String(git.stdout.prefix(40)))!),
                    "\(ours.short) + \(theirs.short)")
            } else if case .clean(let tree) = merged {
                Issue.record("git finds a conflict in \(ours.short) + \(theirs.short), we wrote \(tree.short)")
            }
        }
    }

    /// A random history on `branch` from `base` (oldest first, `base` included): each
    /// commit writes or deletes a few of `names`, so files and folders trade places.
    static func randomHistory(
        _ fixture: GitFixture, branch: String, from base: ObjectID, steps: Int, names: [String],
        random: inout SeededRandom
    ) throws -> [ObjectID] {
        var commits = [base]
        var files = Set(["notes.md", "prefs.md"])
        for step in 0..<steps {
            var changes: [TreeEdit] = []
            var used = Set<String>()
            for _ in 0..<(1 + random.below(3)) {
                let path = random.pick(names)
                guard used.insert(path).inserted else { continue }
                if files.contains(path), random.below(3) == 0 {
                    changes.append(.delete(path: path))
                    files.remove(path)
                } else if !files.contains(where: { $0.hasPrefix(path + "/") || path.hasPrefix($0 + "/") }) {
                    changes.append(.write(path, "\(branch) \(step) \(random.below(2))\n"))
                    files.insert(path)
                }
            }
            guard !changes.isEmpty else { continue }
            commits.append(
                try fixture.repo.commit(changes, onBranch: branch, base: commits.last!, message: "\(branch) \(step)"))
        }
        return commits
    }

    /// Logs parse raw commit objects themselves; what they read must be what `git log`
    /// prints, for odd messages, merges and extra headers alike.
    @Test func logReadsCommitsAsGitLogShowsThem() throws {
        let fixture = try GitFixture()
        let identity = ["-c", "user.name=Ada Lovelace", "-c", "user.email=ada@example.com"]
        func commit(_ arguments: String...) throws {
            _ = try Shell.check("git", identity + ["commit", "-q", "--allow-empty"] + arguments, in: fixture.dir.path)
        }
        try commit(
            "-m", "Subject spread\nover two lines", "-m", "Body with ünïcödé.", "-m",
            "Reverie-Dream: 1\nReverie-Change: merge")
        try commit("--cleanup=verbatim", "-m", "\n\n  Indented subject after blank lines  \n\nbody")
        try commit("-m", "Trailer-looking: but only one paragraph")
        _ = try Shell.check(
            "git",
            identity + ["-c", "i18n.commitEncoding=ISO-8859-1", "commit", "-q", "--allow-empty", "-m", "Encoded"],
            in: fixture.dir.path)
        try fixture.dir.git("checkout", "-q", "-b", "side", "main~2")
        try commit("-m", "On the side")
        try fixture.dir.git("checkout", "-q", "main")
        _ = try Shell.check(
            "git", identity + ["merge", "-q", "--no-ff", "-m", "Merge side", "side"], in: fixture.dir.path)

        let log = try fixture.repo.log()
        let separator = "\u{1}"
        let git = try fixture.dir.git("log", "-z", "--format=%H%x01%P%x01%an%x01%ae%x01%at%x01%cn%x01%s%x01%B")
            .split(separator: "\0").map { $0.components(separatedBy: separator) }
        #expect(log.count == git.count)
        for (commit, fields) in zip(log, git) {
            #expect(commit.id.hex == fields[0])
            #expect(commit.parents.map(\.hex) == fields[1].split(separator: " ").map(String.init))
            #expect(commit.author.name == fields[2] && commit.author.email == fields[3])
            #expect(commit.author.date.map { String(Int($0.timeIntervalSince1970)) } == fields[4])
            #expect(commit.committer.name == fields[5])
            #expect(commit.summary == fields[6], "\(commit.id.short)")
            #expect(
                commit.message.trimmingCharacters(in: .whitespacesAndNewlines)
                    == fields[7].trimmingCharacters(in: .whitespacesAndNewlines))
        }
        #expect(log.first { $0.summary == "Subject spread over two lines" }?.trailer("Reverie-Change") == ["merge"])
        #expect(log.first { $0.summary.hasPrefix("Trailer-looking") }?.trailers == [])
    }

    /// Which of the paths a dream touches hold edits is answered from the index's stat
    /// data where they vouch for a file; every case must agree with `git status`.
    /// Also while the index is still being read ahead, when files are hashed first.
    @Test(arguments: [false, true])
    func pendingPathsAgreeWithGitStatus(readAhead: Bool) throws {
        let paths = [
            "same.md", "edited.md", "resized.md", "gone.md", "staged.md", "new.md", "ignored.md",
            "touched.md", "hidden.md", "folder.md", "mode.md",
        ]
        var files: [String: String] = [".gitignore": "ignored.md\n"]
        for path in paths where path != "new.md" && path != "ignored.md" { files[path] = "# \(path)\n\n- original\n" }
        let fixture = try GitFixture(files: files)
        // Edits made at once, in the same clock tick as the index was written.
        try fixture.dir.write("edited.md", "# edited.md\n\n- ORIGINAL\n")
        try fixture.dir.write("resized.md", "# resized.md\n\n- original, and more\n")
        try fixture.dir.remove("gone.md")
        try fixture.dir.write("staged.md", "# staged.md\n\n- staged\n")
        try fixture.dir.git("add", "staged.md")
        try fixture.dir.write("new.md", "# new\n")
        try fixture.dir.write("ignored.md", "# ignored\n")
        _ = try fixture.dir.gitResult("update-index", "-q", "--refresh")  // the index written after the edits
        _ = try Shell.run("touch", ["-d", "@1700000000", fixture.dir.url("touched.md")], in: fixture.dir.path)
        // An edit of the same size with its old time put back: only ctime and content tell.
        let before =
            try FileManager.default.attributesOfItem(atPath: fixture.dir.url("hidden.md"))[.modificationDate] as! Date
        try fixture.dir.write("hidden.md", "# hidden.md\n\n- Original\n")
        try FileManager.default.setAttributes([.modificationDate: before], ofItemAtPath: fixture.dir.url("hidden.md"))
        try fixture.dir.remove("folder.md")
        try fixture.dir.write("folder.md/inside.md", "# inside\n")
        _ = try Shell.run("chmod", ["+x", fixture.dir.url("mode.md")], in: fixture.dir.path)

        let status = try fixture.dir.git("status", "--porcelain", "--untracked-files=all")
            .split(separator: "\n").map { String($0.dropFirst(3)) }
        let expected = paths.filter { path in status.contains { $0 == path || $0.hasPrefix(path + "/") } }
        #expect(
            Set(expected) == [
                "edited.md", "resized.md", "gone.md", "staged.md", "new.md", "hidden.md", "folder.md", "mode.md",
            ])
        let repo = try Repository.open(at: fixture.dir.path)  // as a new command would
        if readAhead { repo.prefetchIndex() }
        let pending = try repo.pendingPaths(only: paths)
        #expect(Set(pending.map { $0.hasPrefix("folder.md/") ? "folder.md" : $0 }) == Set(expected))
        // And a file the index vouches for is not pending however fast it is asked.
        if readAhead { repo.prefetchIndex() }
        #expect(try repo.pendingPaths(only: ["same.md", "touched.md"]) == [])
    }

    /// An edit made in the same instant the index was written, of the same size, is
    /// "racily clean" to stat data: moving main must still read the file and stop.
    @Test func anEditInTheSameTickAsTheIndexStillStopsTheMove() throws {
        for attempt in 0..<5 {
            let fixture = try GitFixture()
            let tip = try fixture.repo.commit(
                [.write("prefs.md", "# Preferences\n\n- dreamt\n")], onBranch: "dreams/1",
                base: fixture.repo.resolve("main"), message: "Dream change")
            try fixture.dir.write("notes.md", "# Notes\n\n- second\n")
            try fixture.repo.commitWorkingTree(paths: ["notes.md"], message: "Update notes.md")
            try fixture.dir.write("prefs.md", "# PREFERENCES\n")  // same size, same tick
            #expect(throws: GitError.workingTreeChanged(paths: ["prefs.md"]), "attempt \(attempt)") {
                try fixture.repo.mergeIntoMain(tip, message: "Dream")
            }
            #expect(try fixture.dir.read("prefs.md") == "# PREFERENCES\n")
        }
    }
}
