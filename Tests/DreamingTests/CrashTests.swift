import Foundation
import TestSupport
import Testing

/// `reverie dream` killed with SIGKILL at every stage (reading, writing the branch,
/// merging), then run again: main has all of the dream or none of it, never half, and the
/// repository stays sound.
@Suite struct CrashTests {
    static let changes = 120

    /// A memory repo whose next dream has `changes` mistakes to record and merges itself.
    func repo() throws -> (Scratch, Scratch) {
        let fixture = try DreamFixture(merge: "auto", files: ["notes.md": "# Notes\n"], sessions: 0)
        for session in ["a", "b"] {
            var lines = [
                #"{"v":1,"type":"session","id":"\#(session)","user":"u\#(session)","started":"2026-11-24T09:00:00Z"}"#
            ]
            for k in 0..<Self.changes {
                lines.append(
                    #"{"v":1,"type":"tool_call","id":"c\#(k)","name":"Bash","input":{"command":"tool\#(k) --go"}}"#)
                lines.append(
                    #"{"v":1,"type":"tool_result","call_id":"c\#(k)","output":"sh: tool\#(k)x: command not found","exit_code":127}"#
                )
            }
            try fixture.home.write("sessions/\(session).jsonl", lines.joined(separator: "\n") + "\n")
        }
        return (fixture.dir, fixture.home)
    }

    func dreamMerged(_ dir: Scratch) throws -> Bool {
        let merges = try dir.git("log", "--format=%s", "--first-parent", "main").split(separator: "\n").filter {
            $0.hasPrefix("Dream ")
        }
        #expect(merges.count <= 1)
        guard let text = try? dir.git("show", "main:mistakes.md") else { return false }
        // All of it or nothing.
        #expect(text.components(separatedBy: "command not found").count - 1 == Self.changes)
        return merges.count == 1
    }

    /// A kill while libgit2 writes the index leaves `.git/index.lock`, as a killed git does.
    /// Reverie never deletes an index lock (a person's `git commit` may hold one for as long
    /// as its editor is open), so the person removes it, as git's own message tells them.
    func removeTheLockAKillLeft(_ dir: Scratch) throws {
        if dir.exists(".git/index.lock") { try dir.remove(".git/index.lock") }
    }

    /// A half-written branch never shows: a dream branch there holds every change.
    func expectNoHalfBranch(_ dir: Scratch, sourceLocation: SourceLocation = #_sourceLocation) throws {
        for branch in try dir.git("for-each-ref", "--format=%(refname:short)", "refs/heads/dreams").split(
            separator: "\n")
        {
            let text = (try? dir.git("show", "\(branch):mistakes.md")) ?? ""
            let tip = try dir.git("log", "--oneline", "-2", String(branch))
            #expect(
                text.components(separatedBy: "command not found").count - 1 == Self.changes,
                "\(branch) holds part of the dream: \(tip)",
                sourceLocation: sourceLocation)
        }
    }

    @Test func aKilledDreamLeavesAllOrNothingAndTheNextRunFinishesIt() throws {
        // How long one whole dream takes here, to spread the kills across it.
        let (probe, probeHome) = try repo()
        let start = Date()
        let whole = try ReverieBinary.run(["dream", "-C", probe.path], environment: ["HOME": probeHome.path])
        let duration = Date().timeIntervalSince(start)
        #expect(whole.status == 0 && whole.stdout.contains("merged"), "\(whole.stdout)\(whole.stderr)")
        #expect(try dreamMerged(probe))

        var outcomes: [Bool] = []
        for step in 0..<12 {
            let (dir, home) = try repo()
            let process = try Shell.start(
                ReverieBinary.path, ["dream", "-C", dir.path], environment: ["HOME": home.path])
            usleep(UInt32(duration * Double(step) / 10 * 1_000_000))  // up to 110% of a whole dream
            process.signal(SIGKILL)
            _ = process.wait(seconds: 10)
            #expect(try dir.git("fsck", "--strict", "--no-dangling") == "", "step \(step)")
            let mergedBefore = try dreamMerged(dir)
            outcomes.append(mergedBefore)
            try expectNoHalfBranch(dir)
            try removeTheLockAKillLeft(dir)
            // Run again: the dream is made (or finished) exactly once.
            let again = try ReverieBinary.run(["dream", "-C", dir.path], environment: ["HOME": home.path])
            #expect(again.status == 0, "step \(step): \(again.stderr)")
            #expect(try dreamMerged(dir), "step \(step): \(again.stdout)")
            #expect(try dir.git("status", "--porcelain") == "", "step \(step)")
            #expect(try dir.git("for-each-ref", "refs/reverie/building") == "")
            #expect(!dir.exists(".git/index.lock") && !dir.exists(".git/REVERIE_MOVING_MAIN"))
            #expect(try dir.git("fsck", "--strict", "--no-dangling") == "")
            #expect(try dir.read("notes.md") == "# Notes\n")
        }
        print(
            "killed dreams that had already merged: \(outcomes.filter { $0 }.count) of \(outcomes.count); dream took \(duration) s"
        )
    }

    /// Kills aimed at the merge: the moment the branch is published, and the moment the
    /// journal of the move of main appears (between the checkout and the commit).
    @Test(arguments: ["refs/heads/dreams", "REVERIE_MOVING_MAIN"], [0, 200, 2000])
    func aDreamKilledDuringItsMergeIsFinishedOnTheNextRun(marker: String, delayMicroseconds: Int) throws {
        let (dir, home) = try repo()
        let process = try Shell.start(ReverieBinary.path, ["dream", "-C", dir.path], environment: ["HOME": home.path])
        let path = dir.url(".git/" + marker)
        // A tight poll: the journal lives for a millisecond or two.
        var seen = false
        let deadline = Date().addingTimeInterval(60)
        while !seen && Date() < deadline && process.process.isRunning {
            seen =
                marker.hasPrefix("refs/")
                ? !((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []).isEmpty
                : access(path, F_OK) == 0
            if !seen { usleep(50) }
        }
        usleep(UInt32(delayMicroseconds))  // the scenario: kill at, or just after, the marker's moment
        process.signal(SIGKILL)
        _ = process.wait(seconds: 10)
        #expect(seen, "the dream ended before \(marker) was seen")
        #expect(try dir.git("fsck", "--strict", "--no-dangling") == "")
        // Killed between the checkout and the commit: files written, main not moved, no lock held.
        let mainMoved = try dir.git("log", "-1", "--format=%s", "main").hasPrefix("Dream ")
        if dir.exists(".git/REVERIE_MOVING_MAIN") && !mainMoved { #expect(!dir.exists(".git/index.lock")) }
        _ = try dreamMerged(dir)  // all or nothing, whichever it is
        try expectNoHalfBranch(dir)
        try removeTheLockAKillLeft(dir)
        // The daemon, started now, must not commit the half-checked-out files as edits.
        let again = try ReverieBinary.run(["dream", "-C", dir.path], environment: ["HOME": home.path])
        #expect(again.status == 0, "\(again.stderr)")
        #expect(try dreamMerged(dir), "\(again.stdout.split(separator: "\n").filter { !$0.hasPrefix("  ") })")
        #expect(try dir.git("status", "--porcelain") == "")
        #expect(!dir.exists(".git/REVERIE_MOVING_MAIN"))
        let subjects = try dir.git("log", "--format=%s", "main")
        #expect(!subjects.contains("Add mistakes.md"), "the dream's files were committed as a person's edit")
    }
}

/// A write that fails midway through a move of main (a full disk, a quota, a file too
/// large), short of a crash: what was written is put back, and nothing is left to finish.
@Suite struct FailedWriteTests {
    @Test func aMoveWhoseWriteFailsPutsBackWhatItWroteAndLeavesNoJournal() async throws {
        let fixture = try DreamFixture(files: ["a.md": "old A\n", "z.md": "old Z\n", "gone.md": "to be deleted\n"])
        let big = (0..<400).map {
            "- entry \($0): " + SeededRandom.text("abcdefghijklmnopqrstuvwxyz", 30, seed: UInt64($0))
        }
        .joined(separator: "\n")
        var change = DreamFixture.change(.update, "a.md", "new A, longer than before\n")
        change.writes["b-big.md"] = big
        change.writes["z.md"] = "new Z\n"
        change.deletes = ["gone.md"]
        let report = try await fixture.dream([change])
        let before = try fixture.dir.git("rev-parse", "main")

        // bash counts -f in kilobytes; an ignored SIGXFSZ makes write() fail with EFBIG instead.
        let limited = try Shell.run(
            "bash",
            [
                "-c", "trap '' XFSZ; ulimit -f 8; exec \"$0\" \"$@\"",
                ReverieBinary.path, "-C", fixture.dir.path, "approve", report.id,
            ],
            environment: ["HOME": fixture.home.path])
        #expect(limited.status != 0 && limited.stderr.contains("b-big.md"), "\(limited.stdout)\(limited.stderr)")
        #expect(try fixture.dir.git("rev-parse", "main") == before)
        #expect(!fixture.dir.exists(".git/REVERIE_MOVING_MAIN"))
        #expect(try fixture.dir.read("a.md") == "old A\n" && fixture.dir.read("gone.md") == "to be deleted\n")
        #expect(!fixture.dir.exists("b-big.md"))
        #expect(try fixture.dir.git("status", "--porcelain", "--ignored") == "")

        let approved = try ReverieBinary.run(
            ["-C", fixture.dir.path, "approve", report.id], environment: ["HOME": fixture.home.path])
        #expect(approved.status == 0, "\(approved.stderr)")
        #expect(
            try fixture.dir.read("b-big.md") == big && fixture.dir.read("z.md") == "new Z\n"
                && !fixture.dir.exists("gone.md"))
        #expect(try fixture.fsck() == "")
    }
}
