import Dreaming
import Foundation
import Git
import Memory
import TestSupport
import Testing

@Suite struct DreamEngineTests {
    /// Two transcripts can carry the same session id (a stray line of another session, a
    /// subagent's file): each one's events are recorded as read, so neither comes back as new.
    @Test func transcriptsSharingASessionIDAreBothReadOnce() async throws {
        let fixture = try DreamFixture(sessions: 0)
        for (file, events, hour) in [("a", 1, "09"), ("b", 3, "10")] {
            var lines = [
                #"{"v":1,"type":"session","id":"shared","user":"ana","agent":"bot","started":"2026-11-24T\#(hour):00:00Z"}"#
            ]
            for event in 0..<events {
                lines.append(
                    #"{"v":1,"type":"user","time":"2026-11-24T\#(hour):00:0\#(event)Z","text":"\#(file) \#(event)"}"#)
            }
            try fixture.home.write("sessions/\(file).jsonl", lines.joined(separator: "\n") + "\n")
        }
        let report = try await fixture.dream([])
        #expect(report.sessions == 2)
        let scan = try fixture.engine().catalog.scan(consumed: try fixture.memory.sessionsRead())
        #expect(scan.entries.count == 2)
        #expect(
            scan.new.isEmpty,
            "read again: \(scan.new.map { "\($0.summary.file): \($0.consumed) of \($0.summary.events)" })")
    }

    @Test func aDreamIsABranchOfReasonedCommitsThatLeavesTheWorkingTreeAlone() async throws {
        let repo = try DreamFixture()
        try repo.dir.write("draft.md", "unsaved thoughts\n")  // a person's uncommitted edit
        let mainBefore = try repo.dir.git("rev-parse", "main")
        let report = try await repo.dream([
            DreamFixture.change(
                .mistake, "mistakes.md", "# Mistakes\n\n- `pytest` is missing: use `python -m pytest`\n",
                summary: "Record the pytest mistake"),
            DreamFixture.change(
                .index, "MEMORY.md", "# Memory\n\n- mistakes.md: recurring mistakes\n", summary: "Update the index"),
        ])
        #expect(report.outcome == .review && report.sessions == 2)
        #expect(try repo.dir.git("rev-parse", "main") == mainBefore)
        #expect(try repo.dir.read("draft.md") == "unsaved thoughts\n" && !repo.dir.exists("mistakes.md"))
        #expect(try repo.dir.git("status", "--porcelain") == "?? draft.md\n")
        let branch = "dreams/\(report.id)"
        #expect(
            try repo.subjects(branch).prefix(3) == [
                "Update the index", "Record the pytest mistake",
                "Record the 2 sessions dream \(report.id) read",
            ])
        let body = try repo.dir.git("log", "-1", "--format=%B", "\(branch)~1")
        #expect(body.contains("Seen in two sessions.") && body.contains("- s0: \"pytest: command not found\""))
        #expect(
            body.contains(
                "Reverie-Dream: \(report.id)\nReverie-Change: mistake\nReverie-Evidence: s0\nReverie-Consolidator: test/fixed"
            ))
        #expect(try repo.dir.git("show", "\(branch):.reverie/dreams/\(report.id).sessions").contains("3\ts0\n"))
        #expect(try repo.fsck() == "")
        // The id is a UTC timestamp.
        #expect(report.id.wholeMatch(of: /\d{8}-\d{6}/) != nil)
    }

    @Test func sessionsAreReadOnceEvenAfterARestartOrInAClone() async throws {
        let repo = try DreamFixture()
        let first = try await repo.dream([DreamFixture.change(.mistake, "a.md", "a\n")])
        #expect(first.sessions == 2)
        // A new engine (a restart) sees nothing new; a new session is the only one read.
        #expect(try await repo.dream([]).outcome == .nothingNew)
        try repo.addSession("s9")
        let second = try await repo.dream([])
        #expect(second.sessions == 1)
        // A fresh clone knows too: the record travels with the dream branches.
        let clone = try Scratch("clone")
        try Shell.check("git", ["clone", "-q", "--mirror", repo.dir.path, clone.url(".git")], in: clone.path)
        try Shell.check("git", ["config", "--bool", "core.bare", "false"], in: clone.path)
        try Shell.check("git", ["checkout", "-q", "main"], in: clone.path)
        let cloned = try MemoryRepo.open(discoveringFrom: clone.path)
        #expect(try cloned.sessionsRead() == ["s0": 3, "s1": 3, "s9": 3])
    }

    @Test func chosenSessionsCanBeDreamtAgain() async throws {
        let repo = try DreamFixture()
        _ = try await repo.dream([DreamFixture.change(.mistake, "a.md", "a\n")])
        let consolidator = FixedConsolidator([DreamFixture.change(.mistake, "b.md", "b\n")])
        let again = try await repo.engine().dream(with: consolidator, sessionIDs: ["s1"])
        #expect(again.sessions == 1 && again.outcome == .review)
        #expect(consolidator.seen?.sessions.map(\.id) == ["s1"] && consolidator.seen?.sessions.first?.events.count == 3)
        await #expect(throws: DreamError.self) {
            try await repo.engine().dream(with: consolidator, sessionIDs: ["nope"])
        }
    }

    @Test func twoDreamsInOneSecondGetDifferentIDs() async throws {
        let repo = try DreamFixture()
        let now = Date()
        let first = try await repo.dream([DreamFixture.change(.mistake, "a.md", "a\n")], now: now)
        try repo.addSession("s9")
        let second = try await repo.dream([DreamFixture.change(.mistake, "b.md", "b\n")], now: now)
        #expect(first.id != second.id && second.id == first.id + "-2")
    }

    @Test func automaticMergeBringsTheDreamToMainAndTheDisk() async throws {
        let repo = try DreamFixture(merge: "auto")
        let report = try await repo.dream([
            DreamFixture.change(.mistake, "mistakes.md", "# Mistakes\n"),
            DreamFixture.change(.index, "MEMORY.md", "# Memory\n"),
        ])
        #expect(report.outcome == .merged, "\(report)")
        #expect(try repo.subjects().first == "Dream \(report.id): 2 changes")
        #expect(try repo.dir.read("mistakes.md") == "# Mistakes\n" && (try repo.dir.read("MEMORY.md")) == "# Memory\n")
        #expect(try repo.dir.git("status", "--porcelain") == "")
        #expect(try repo.book.list().map(\.state) == [.merged])
        #expect(try repo.fsck() == "")
    }

    @Test func aPersonEditingTheSameFileKeepsTheEditAndTheDreamIsConflicted() async throws {
        let other = (1...10).map { "- fact \($0)\n" }.joined()
        let repo = try DreamFixture(merge: "auto", files: ["notes.md": "# Notes\n\n- keep answers short\n" + other])
        // The person's edit, not yet committed (no daemon runs), to the line the dream rewrites.
        try repo.dir.write("notes.md", "# Notes\n\n- keep answers very short\n" + other)
        let report = try await repo.dream([
            DreamFixture.change(.update, "notes.md", "# Notes\n\n- answers: short\n" + other)
        ])
        #expect(report.outcome == .conflicted, "\(report)")
        #expect(try repo.dir.read("notes.md") == "# Notes\n\n- keep answers very short\n" + other)
        #expect(try repo.dir.git("show", "main:notes.md") == "# Notes\n\n- keep answers very short\n" + other)
        #expect(try repo.book.list().map(\.state) == [.conflicted])
        #expect(try repo.dir.git("status", "--porcelain") == "")
        #expect(try repo.fsck() == "")
    }

    @Test func aPersonEditingAnotherFileGetsBothOnMain() async throws {
        let repo = try DreamFixture(merge: "auto")
        try repo.dir.write("people.md", "# People\n\n- Ana prefers email\n")  // uncommitted, daemon not running
        let report = try await repo.dream([DreamFixture.change(.mistake, "mistakes.md", "# Mistakes\n")])
        #expect(report.outcome == .merged)
        #expect(try repo.dir.git("show", "main:people.md") == "# People\n\n- Ana prefers email\n")
        #expect(try repo.dir.git("show", "main:mistakes.md") == "# Mistakes\n")
        #expect(try repo.dir.read("people.md") == "# People\n\n- Ana prefers email\n")
        #expect(try repo.dir.git("status", "--porcelain") == "")
    }

    @Test func approveOnlyRejectRollbackAndRestore() async throws {
        let repo = try DreamFixture()
        let first = try await repo.dream([
            DreamFixture.change(.mistake, "one.md", "1\n"),
            DreamFixture.change(.workflow, "two.md", "2\n"),
            DreamFixture.change(.preference, "three.md", "3\n"),
        ])
        try repo.book.approve(first.id, only: [2])
        #expect(try repo.dir.read("two.md") == "2\n" && !repo.dir.exists("one.md") && !repo.dir.exists("three.md"))
        #expect(try repo.subjects().first == "Dream \(first.id): changes 2 of 3")
        #expect(try repo.book.list().first?.state == .merged)
        #expect(throws: DreamError.self) { try repo.book.approve(first.id) }

        try repo.addSession("s5")
        let second = try await repo.dream([DreamFixture.change(.mistake, "four.md", "4\n")])
        try repo.book.reject("latest")
        #expect(try repo.dir.git("branch", "--list", "dreams/\(second.id)") == "")
        #expect(try repo.dir.git("rev-parse", "--verify", "refs/reverie/rejected/\(second.id)").count == 41)
        #expect(try repo.book.list().map(\.state) == [.merged, .rejected])

        try repo.book.rollback(first.id)
        #expect(!repo.dir.exists("two.md"))
        #expect(try repo.subjects().first == "Roll back dream \(first.id)")
        #expect(try repo.book.list().first?.state == .rolledBack)

        // Another dream after a rollback merges as usual.
        try repo.addSession("s6")
        let third = try await repo.dream([DreamFixture.change(.mistake, "five.md", "5\n")])
        try repo.book.approve(third.id)
        #expect(try repo.dir.read("five.md") == "5\n")

        // Back to the memory as it was before any dream, with a new commit.
        let handMade = try repo.dir.git("rev-list", "-1", "--grep=Memory by hand", "main").trimmingCharacters(
            in: .whitespacesAndNewlines)
        let commitsBefore = try repo.subjects().count
        try repo.book.rollback(to: handMade)
        #expect(
            try !repo.dir.exists("five.md") && (try repo.dir.read("notes.md")) == "# Notes\n\n- keep answers short\n")
        #expect(try repo.subjects().count == commitsBefore + 1)
        #expect(try repo.dir.git("diff", handMade, "main") == "")
        #expect(try repo.dir.git("status", "--porcelain") == "")
        #expect(try repo.fsck() == "")
    }

    @Test func approvingAConflictedDreamSaysWhichDreamAndLeavesMainAlone() async throws {
        let repo = try DreamFixture()
        let report = try await repo.dream([DreamFixture.change(.update, "notes.md", "# Notes\n\n- answers: short\n")])
        try repo.dir.write("notes.md", "# Notes\n\n- keep answers very short\n")
        try repo.dir.git("commit", "-qam", "By hand")
        let mainBefore = try repo.dir.git("rev-parse", "main")
        for only in [nil, [1]] as [[Int]?] {
            #expect {
                try repo.book.approve(report.id, only: only)
            } throws: { error in
                "\(error)".contains("dream \(report.id) conflicts with edits on main in notes.md")
                    && "\(error)".contains("git merge dreams/\(report.id)")
            }
        }
        #expect(try repo.dir.git("rev-parse", "main") == mainBefore)
        #expect(try repo.dir.read("notes.md") == "# Notes\n\n- keep answers very short\n")
    }

    @Test func aDreamAPersonMergesWithGitIsSeenAsMergedAndCanBeRolledBack() async throws {
        let repo = try DreamFixture()
        let report = try await repo.dream([DreamFixture.change(.mistake, "a.md", "a\n")])
        try repo.dir.git("merge", "-q", "--no-ff", "-m", "Merge by hand", "dreams/\(report.id)")
        #expect(try repo.book.list().map(\.state) == [.merged])
        try repo.book.rollback(report.id)
        #expect(!repo.dir.exists("a.md"))
    }

    /// A person's unsaved edit of a file the dream changed, made right before a rollback
    /// (no daemon running to commit it): it is committed first, then the dream's change
    /// is undone around it.
    @Test func anUnsavedEditOfAFileTheDreamChangedIsCommittedBeforeTheRollback() async throws {
        let notes = "# Notes\n\n- keep answers short\n\n## Tools\n\n- git\n- make\n- swift\n"
        let repo = try DreamFixture(files: ["notes.md": notes])
        let report = try await repo.dream([
            DreamFixture.change(
                .update, "notes.md",
                notes.replacingOccurrences(
                    of: "- keep answers short", with: "- answers: short"))
        ])
        try repo.book.approve(report.id)
        let edited = "# Notes\n\n- answers: short\n\n## Tools\n\n- git\n- make\n- swift 6\n"
        try repo.dir.write("notes.md", edited)

        try repo.book.rollback(report.id)
        #expect(try repo.subjects().prefix(2) == ["Roll back dream \(report.id)", "Update notes.md"])
        #expect(
            try repo.dir.git("log", "-1", "--format=%B", "main~1").contains(
                "Committed before rolling back dream \(report.id)"))
        #expect(try repo.dir.git("show", "main~1:notes.md") == edited)
        #expect(try repo.dir.read("notes.md") == notes.replacingOccurrences(of: "- swift\n", with: "- swift 6\n"))
        #expect(try repo.dir.git("status", "--porcelain") == "")
        #expect(try repo.fsck() == "")
    }

    /// The same for approving a dream, all of it or chosen changes, and for restoring
    /// memory as of a date: the edit in the way is committed, then the move goes on.
    @Test(arguments: [nil, [1]] as [[Int]?])
    func anUnsavedEditInTheWayOfAnApproveOrRestoreIsCommittedFirst(only: [Int]?) async throws {
        let notes = "# Notes\n\n- keep answers short\n\n## Tools\n\n- git\n- make\n- swift\n"
        let repo = try DreamFixture(files: ["notes.md": notes])
        let handMade = try repo.dir.git("rev-parse", "main").trimmingCharacters(in: .whitespacesAndNewlines)
        let report = try await repo.dream([
            DreamFixture.change(
                .update, "notes.md",
                notes.replacingOccurrences(
                    of: "- keep answers short", with: "- answers: short"))
        ])
        try repo.dir.write("notes.md", notes.replacingOccurrences(of: "- swift\n", with: "- swift 6\n"))

        try repo.book.approve(report.id, only: only)
        let action = only == nil ? "merging dream" : "approving changes of dream"
        #expect(
            try repo.dir.git("log", "-1", "--format=%B", "main~1").contains("Committed before \(action) \(report.id)"))
        let both = "# Notes\n\n- answers: short\n\n## Tools\n\n- git\n- make\n- swift 6\n"
        #expect(try repo.dir.read("notes.md") == both && repo.dir.git("show", "main:notes.md") == both)

        try repo.dir.write("notes.md", both + "- zig\n")
        try repo.book.rollback(to: handMade)
        #expect(
            try repo.dir.git("log", "-1", "--format=%B", "main~1").contains("Committed before restoring memory as of"))
        #expect(try repo.dir.git("show", "main~1:notes.md") == both + "- zig\n")
        #expect(try repo.dir.read("notes.md") == notes)
        #expect(try repo.dir.git("status", "--porcelain") == "")
        #expect(try repo.fsck() == "")
    }

    @Test func aDreamAPersonFastForwardsMainToIsRolledBackWhole() async throws {
        let repo = try DreamFixture()
        let before = try repo.dir.git("ls-tree", "-r", "main")
        let report = try await repo.dream([
            DreamFixture.change(.mistake, "a.md", "a\n"),
            DreamFixture.change(.workflow, "b.md", "b\n"),
        ])
        // Main has not moved since the dream began: a plain `git merge` fast-forwards.
        try repo.dir.git("merge", "-q", "--ff-only", "dreams/\(report.id)")
        #expect(try repo.dir.git("rev-parse", "main") == (try repo.dir.git("rev-parse", "dreams/\(report.id)")))
        #expect(try repo.book.list().map(\.state) == [.merged])
        try repo.book.rollback(report.id)
        #expect(!repo.dir.exists("a.md") && !repo.dir.exists("b.md"))
        // Memory as it was; the record of the sessions read stays.
        #expect(
            try repo.dir.git("ls-tree", "-r", "main").split(separator: "\n").filter {
                !$0.contains("\t.reverie/dreams/")
            }
                == before.split(separator: "\n"))
        #expect(
            try repo.dir.git("ls-tree", "-r", "--name-only", "main", ".reverie/dreams")
                == ".reverie/dreams/\(report.id).sessions\n")
        #expect(try repo.dir.git("status", "--porcelain") == "")
        #expect(try repo.book.list().map(\.state) == [.rolledBack])
    }

    @Test func commandsRefuseWhileHEADIsNotMainOrAMergeRuns() async throws {
        let repo = try DreamFixture()
        let report = try await repo.dream([DreamFixture.change(.mistake, "a.md", "a\n")])
        try repo.dir.git("checkout", "-q", "-b", "elsewhere")
        #expect { try repo.book.approve(report.id) } throws: { "\($0)".contains("HEAD") }
        #expect { try repo.book.reject(report.id) } throws: { "\($0)".contains("HEAD") }
        try repo.dir.git("checkout", "-q", "main")
        try repo.dir.write(".git/MERGE_HEAD", try repo.dir.git("rev-parse", "main"))
        #expect { try repo.book.approve(report.id) } throws: { "\($0)".contains("merge") }
        #expect { try repo.book.rollback(to: "HEAD~1") } throws: { "\($0)".contains("merge") }
        try repo.dir.remove(".git/MERGE_HEAD")
        #expect(try repo.book.list().map(\.state) == [.review])
    }

    @Test(arguments: ["../x.md", "/etc/x.md", ".git/config", ".reverie/config.toml", "link/x.md", "out.md"])
    func aPlanWritingOutsideMemoryIsRefusedAndNothingIsWritten(path: String) async throws {
        let repo = try DreamFixture()
        let outside = try Scratch("outside")
        try FileManager.default.createSymbolicLink(atPath: repo.dir.url("link"), withDestinationPath: outside.path)
        try FileManager.default.createSymbolicLink(
            atPath: repo.dir.url("out.md"), withDestinationPath: outside.url("y.md"))
        try repo.dir.git("add", "link", "out.md")
        try repo.dir.git("commit", "-qm", "Links")
        await #expect(throws: DreamError.self) {
            try await repo.dream([
                DreamFixture.change(.mistake, "fine.md", "ok\n"), DreamFixture.change(.mistake, path, "x\n"),
            ])
        }
        #expect(try repo.dir.git("for-each-ref", "refs/heads/dreams") == "")
        #expect(try FileManager.default.contentsOfDirectory(atPath: outside.path).isEmpty)
        #expect(try repo.memory.sessionsRead().isEmpty)
    }

    /// The dream was checked when it was made; a folder swapped for a link before it is
    /// approved must not take the write out of the repository.
    @Test func aFolderTurnedIntoALinkAfterTheDreamIsNotWrittenThrough() async throws {
        let repo = try DreamFixture()
        let report = try await repo.dream([DreamFixture.change(.mistake, "topics/a.md", "a\n")])
        let outside = try Scratch("outside")
        try FileManager.default.createSymbolicLink(atPath: repo.dir.url("topics"), withDestinationPath: outside.path)
        let mainBefore = try repo.dir.git("rev-parse", "main")
        #expect { try repo.book.approve(report.id) } throws: { "\($0)".contains("topics is a symbolic link") }
        #expect(try FileManager.default.contentsOfDirectory(atPath: outside.path).isEmpty)
        #expect(try repo.dir.git("rev-parse", "main") == mainBefore)
    }

    @Test func secretsNeverReachAnyObjectAndTheDreamWaits() async throws {
        let repo = try DreamFixture(merge: "auto")
        let secrets = [
            "AKIAIOSFODNN7EXAMPLE", "ghp_1234567890abcdefghijABCDEFGHIJ123456", "glpat-abcdefghij1234567890",
            "xoxb-123456789012-abcdefghijkl", "sk-ant-api03-abcdefghijklmnopqrstuvwxyz0123",
            "sk-proj-abcdefghijklmnopqrstuvwxyz012345",
            "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N",
            "hunter2hunter2", "Zq8xW3vR9tL2mK7pN4sB",
        ]
        let text = """
            # Setup
            - aws key \(secrets[0])
            - github \(secrets[1]) and gitlab \(secrets[2])
            - slack \(secrets[3]); anthropic \(secrets[4]); openai \(secrets[5])
            - jwt \(secrets[6])
            - db postgres://admin:\(secrets[7])@db.internal/app
            - api_token = "\(secrets[8])"
            -----BEGIN RSA PRIVATE KEY-----
            MIIEowIBAAKCAQEAuniqueprivatekeymaterial
            -----END RSA PRIVATE KEY-----
            - the token budget is about 200000 tokens
            """
        let report = try await repo.dream([DreamFixture.change(.workflow, "setup.md", text)])
        #expect(report.outcome == .review)
        #expect(report.waitsBecause?.contains("secrets") == true)
        let history = try repo.dir.git("log", "-p", "--all")
        for secret in secrets + ["uniqueprivatekeymaterial"] {
            #expect(!history.contains(secret), "\(secret) reached git")
        }
        let written = try repo.dir.git("show", "dreams/\(report.id):setup.md")
        #expect(
            written.contains("[REDACTED AWS access key]") && written.contains("the token budget is about 200000 tokens")
        )
        #expect(
            try repo.dir.git("log", "-1", "--format=%B", "dreams/\(report.id)").contains("Reverie-Redacted: 10"),
            "\(report.guardrails)")
        let shown = try repo.book.show(report.id)
        #expect(shown.guardrails.first { $0.name == "secrets" }?.passed == false)
    }

    @Test func pinnedMemoryAndTheSizeCapsMakeAnAutomaticDreamWait() async throws {
        let pinned = "---\npinned: true\n---\n# Rules\n- never deploy on Fridays\n"
        let notes = "# Notes\n- a\n- b <!-- pinned -->\n- c\n- d\n- e\n- f\n- g\n- h\n- i\n"
        let repo = try DreamFixture(merge: "auto", files: ["rules.md": pinned, "notes.md": notes])
        var report = try await repo.dream([DreamFixture.change(.update, "rules.md", "# Rules\n- deploy any day\n")])
        #expect(report.outcome == .review && report.waitsBecause?.contains("pinned") == true)
        try repo.book.reject(report.id)

        try repo.addSession("s7")
        report = try await repo.dream([
            DreamFixture.change(.update, "notes.md", notes.replacingOccurrences(of: "- b <!-- pinned -->\n", with: ""))
        ])
        #expect(report.guardrails.first { $0.name == "pinned" }?.passed == false)
        try repo.book.reject(report.id)

        try repo.addSession("s8")
        report = try await repo.dream([DreamFixture.change(.update, "notes.md", "# Notes\n- b <!-- pinned -->\n- z\n")])
        #expect(report.guardrails.first { $0.name == "changed share" }?.passed == false)
        #expect(report.waitsBecause?.contains("changed share") == true)
        try repo.book.reject(report.id)

        try repo.addSession("s9")
        report = try await repo.dream([
            DreamFixture.change(.mistake, "big.md", String(repeating: "- line of memory\n", count: 7000))
        ])
        #expect(report.guardrails.first { $0.name == "file size" }?.passed == false)
        #expect(try repo.dir.git("show", "main:rules.md") == pinned)
    }

    @Test func locksAndRefsLeftByAKilledDreamDoNotStopTheNext() async throws {
        let repo = try DreamFixture()
        let now = try Date("2026-11-25T03:00:00Z", strategy: .iso8601)
        // What SIGKILL leaves mid-dream: a half-built ref with its lock, the lock of a branch being created.
        try repo.dir.write(".git/refs/reverie/building/20261125-030000.lock", "")
        try repo.dir.write(".git/refs/heads/dreams/20261125-030000.lock", "")
        try repo.dir.git("update-ref", "refs/reverie/building/20261124-030000", "main")
        let report = try await repo.dream([DreamFixture.change(.mistake, "a.md", "a\n")], now: now)
        #expect(report.id == "20261125-030000" && report.outcome == .review)
        #expect(
            try repo.dir.git("for-each-ref", "--format=%(refname)", "refs/reverie/building", "refs/heads/dreams")
                == "refs/heads/dreams/20261125-030000\n")
        #expect(!repo.dir.exists(".git/refs/heads/dreams/20261125-030000.lock"))
    }
}
