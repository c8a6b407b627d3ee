import Foundation
import TestSupport
import Testing

/// A team sharing memory through a remote, as people run it: `reverie remote add`,
/// `reverie sync`, `reverie status`, checked with the git CLI on every clone.
final class Team {
    let remote: BareRemote
    let url: String
    var machines: [Scratch] = []

    /// Machine A: `reverie init`, `reverie remote add URL`, a first sync that pushes main.
    init(
        url: ((BareRemote) throws -> String)? = nil,
        notes: String = "# Notes\n\n- one\n- two\n- three\n- four\n- five\n"
    ) throws {
        remote = try BareRemote()
        self.url = try url?(remote) ?? remote.fileURL
        let first = try Scratch("machine-a")
        #expect(try ReverieBinary.run(["init", first.path]).status == 0)
        try first.write("notes.md", notes)
        try first.git("add", "notes.md")
        try first.git("commit", "-qm", "Notes")
        machines.append(first)
    }

    /// Sets the remote on machine A (another URL to reach the same remote, if given).
    func addRemote(extra: [String] = []) throws {
        let added = try reverie(0, ["remote", "add", url] + extra)
        #expect(added.status == 0, "\(added.stderr)")
    }

    /// Another machine: a plain `git clone` of the remote (its settings name the remote).
    func join(_ name: String) throws -> Scratch {
        let machine = try Scratch("machine-\(name)")
        try Shell.check("git", ["clone", "-q", "-b", "main", url, machine.path])
        machines.append(machine)
        return machine
    }

    @discardableResult
    func reverie(_ machine: Int, _ arguments: [String], environment: [String: String] = [:]) throws -> Shell.Result {
        try ReverieBinary.run(arguments + ["-C", machines[machine].path], environment: environment)
    }

    /// `reverie sync` on a machine; expects success unless told otherwise.
    @discardableResult
    func sync(_ machine: Int, expecting status: Int32 = 0) throws -> Shell.Result {
        let result = try reverie(machine, ["sync"])
        #expect(result.status == status, "sync on machine \(machine): \(result.stdout)\(result.stderr)")
        return result
    }

    func edit(_ machine: Int, _ path: String, _ transform: (String) -> String) throws {
        let dir = machines[machine]
        try dir.write(path, transform(try dir.read(path)))
        try dir.git("commit", "-qam", "Edit \(path) on machine \(machine)")
    }

    /// Every clone and the remote pass `git fsck --strict`.
    func expectSound() throws {
        for machine in machines { #expect(try machine.fsck() == "", "\(machine.path)") }
        #expect(try remote.fsck() == "")
    }
}

@Suite struct SyncTests {
    @Test func differentLinesMergeAndEveryMachineEndsWithBoth() throws {
        let team = try Team()
        try team.addRemote()
        let first = try team.sync(0)
        #expect(first.stdout.contains("pushed main"), "\(first.stdout)")
        let b = try team.join("b")
        try team.edit(1, "notes.md") { $0.replacingOccurrences(of: "- one", with: "- one, said B") }
        try team.edit(0, "notes.md") { $0.replacingOccurrences(of: "- five", with: "- five, said A") }
        try team.sync(0)
        let merged = try team.sync(1)
        #expect(merged.stdout.contains(": merged"), "\(merged.stdout)")
        try team.sync(0)  // a fast-forward to B's merge
        for machine in team.machines {
            let text = try machine.read("notes.md")
            #expect(text.contains("- one, said B") && text.contains("- five, said A"), "\(text)")
            #expect(try machine.git("status", "--porcelain") == "")
        }
        #expect(try team.machines[0].git("rev-parse", "main") == (try b.git("rev-parse", "main")))
        #expect(
            try team.remote.tip("main")
                == (try b.git("rev-parse", "main")).trimmingCharacters(in: .whitespacesAndNewlines))
        let status = try team.reverie(0, ["status"]).stdout
        #expect(
            status.contains("Remote        origin") && status.contains("0 ahead, 0 behind origin/main"), "\(status)")
        try team.expectSound()
    }

    @Test func sameLinesKeepLocalOnMainAndTheirsOnASyncBranch() throws {
        let team = try Team()
        try team.addRemote()
        try team.sync(0)
        _ = try team.join("b")
        try team.edit(0, "notes.md") { $0.replacingOccurrences(of: "- three", with: "- three, as A has it") }
        try team.edit(1, "notes.md") { $0.replacingOccurrences(of: "- three", with: "- three, as B has it") }
        try team.sync(0)
        let conflict = try team.sync(1)
        #expect(conflict.stdout.contains("Both sides changed the same lines of notes.md"), "\(conflict.stdout)")
        let b = team.machines[1]
        let text = try b.read("notes.md")
        #expect(text.contains("- three, as B has it") && !text.contains("<<<<<<<") && !text.contains(">>>>>>>"))
        let branch = try #require(
            try b.git("for-each-ref", "--format=%(refname:short)", "refs/heads/sync").split(separator: "\n").first)
        #expect(try b.git("show", "\(branch):notes.md").contains("- three, as A has it"))
        #expect(try team.remote.tip(String(branch)) != nil)
        let status = try team.reverie(1, ["status"]).stdout
        #expect(status.contains("Conflict      \(branch) holds their lines of notes.md"), "\(status)")

        // A fast-forwards to B's merge and sees the conflict waiting on the remote.
        try team.sync(0)
        #expect(try team.reverie(0, ["status"]).stdout.contains("origin/\(branch) holds their lines"))
        // A, who only sees the remote's branch, takes its own lines back; the branch goes there.
        let resolved = try team.reverie(0, ["sync", "resolve", "--theirs"])
        #expect(resolved.status == 0, "\(resolved.stderr)")
        #expect(try team.machines[0].read("notes.md").contains("- three, as A has it"))
        #expect(try team.remote.tip(String(branch)) == nil)
        // B, who made the branch, sees it resolved and never pushes it again.
        try team.sync(1)
        #expect(try b.read("notes.md").contains("- three, as A has it"))
        try team.sync(1)
        #expect(try team.remote.tip(String(branch)) == nil)
        for machine in [0, 1] { #expect(!(try team.reverie(machine, ["status"]).stdout.contains("Conflict"))) }
        // Nothing was lost: B's words are in every clone's history.
        for machine in team.machines {
            #expect(try machine.git("log", "-p", "main").contains("- three, as B has it"))
        }
        try team.expectSound()
    }

    @Test func aPersonsUnsavedEditIsCommittedBeforeTheTeamsChangeLands() throws {
        let team = try Team()
        try team.addRemote()
        try team.sync(0)
        let b = try team.join("b")
        try team.edit(1, "notes.md") { $0.replacingOccurrences(of: "- two", with: "- two, from B") }
        try team.sync(1)
        let a = team.machines[0]
        try a.write("notes.md", try a.read("notes.md").replacingOccurrences(of: "- four", with: "- four, unsaved on A"))
        try team.sync(0)
        let text = try a.read("notes.md")
        #expect(text.contains("- two, from B") && text.contains("- four, unsaved on A"), "\(text)")
        #expect(try a.git("status", "--porcelain") == "")
        #expect(try a.subjects().contains("Update notes.md"))
        try team.sync(1)
        #expect(try b.read("notes.md").contains("- four, unsaved on A"))
        try team.expectSound()
    }

    @Test func aRemoteWhoseHistoryWasRewrittenIsRefused() throws {
        let team = try Team()
        try team.addRemote()
        try team.sync(0)
        let c = try team.join("c")
        try c.git("commit", "-q", "--amend", "-m", "Rewritten history")
        try c.git("push", "-q", "--force", "origin", "main")
        let a = team.machines[0]
        let before = try a.git("rev-parse", "main")
        let refused = try team.sync(0, expecting: 1)
        #expect(refused.stderr.contains("history was rewritten (a force-push)"), "\(refused.stderr)")
        #expect(refused.stderr.split(separator: "\n").count == 1)
        #expect(try a.git("rev-parse", "main") == before)
        #expect(try team.reverie(0, ["status"]).stdout.contains("Sync error    refusing to sync with origin"))
        try team.expectSound()
    }

    @Test func aTeammatesLinkOutOfTheRepositoryNeverLands() throws {
        let team = try Team()
        try team.addRemote()
        try team.sync(0)
        let c = try team.join("c")
        symlink("/etc/passwd", c.url("passwords.md"))
        try c.git("add", "passwords.md")
        try c.git("commit", "-qm", "A link out")
        try c.git("push", "-q", "origin", "main")
        let a = team.machines[0]
        let before = try a.git("rev-parse", "main")
        let refused = try team.sync(0, expecting: 1)
        #expect(refused.stderr.contains("passwords.md"), "\(refused.stderr)")
        #expect(try a.git("rev-parse", "main") == before && !a.exists("passwords.md"))
    }

    @Test func overGitDaemon() throws {
        var daemon: GitDaemonServer?
        let team = try Team { remote in
            daemon = try GitDaemonServer(serving: remote)
            return daemon!.url
        }
        try team.addRemote()
        try team.sync(0)
        _ = try team.join("b")
        try team.edit(1, "notes.md") { $0 + "- over git://\n" }
        try team.sync(1)
        try team.sync(0)
        #expect(try team.machines[0].read("notes.md").contains("- over git://"))
        try team.expectSound()
        withExtendedLifetime(daemon) {}
    }

    @Test func overHTTPWithBasicAuthenticationCutMidPushAndMidFetch() throws {
        var server: GitHTTPServer?
        let team = try Team { remote in
            server = try GitHTTPServer(serving: remote)
            return server!.url
        }
        let http = try #require(server)
        let store = team.remote.folder.url("credentials")
        try Data("http://\(http.user):\(http.password)@127.0.0.1:\(http.port)\n".utf8).write(
            to: URL(fileURLWithPath: store))
        try team.addRemote()
        try team.machines[0].git("config", "credential.helper", "store --file=\(store)")
        try team.sync(0)

        // Cut in the middle of a push: nothing lost, the next round pushes.
        try team.edit(0, "notes.md") { $0 + "- pushed after a cut\n" }
        try http.cutNext("git-receive-pack")
        let cut = try team.sync(0, expecting: 1)
        #expect(http.cutUsed("git-receive-pack") && cut.stderr.contains("cannot reach"), "\(cut.stderr)")
        #expect(try team.reverie(0, ["status"]).stdout.contains("1 ahead, 0 behind"))
        try team.sync(0)
        #expect(try team.remote.git("show", "main:notes.md").contains("- pushed after a cut"))

        // A clone with the same helper; a cut in the middle of a fetch, then offline, then back.
        let b = try Scratch("machine-b")
        try Shell.check("git", ["-c", "credential.helper=store --file=\(store)", "clone", "-q", http.url, b.path])
        try b.git("config", "credential.helper", "store --file=\(store)")
        team.machines.append(b)
        try team.edit(0, "notes.md") { $0 + "- fetched after a cut\n" }
        try team.sync(0)
        try http.cutNext("git-upload-pack")
        try team.sync(1, expecting: 1)
        #expect(!(try b.read("notes.md").contains("- fetched after a cut")))
        http.stop()
        let offline = try team.sync(1, expecting: 1)
        #expect(offline.stderr.contains("commits go on locally"), "\(offline.stderr)")
        try http.start()
        try team.sync(1)
        #expect(try b.read("notes.md").contains("- fetched after a cut"))

        // A wrong password: one line that says what to fix, and no password shown.
        try Data("http://\(http.user):not-it@127.0.0.1:\(http.port)\n".utf8).write(to: URL(fileURLWithPath: store))
        let denied = try team.sync(1, expecting: 1)
        #expect(
            denied.stderr.split(separator: "\n").count == 1 && denied.stderr.contains("authentication to"),
            "\(denied.stderr)")
        #expect(!denied.stderr.contains("not-it"))
        try team.expectSound()
    }

    @Test func remoteAddRefusesAPasswordInTheURL() throws {
        let team = try Team()
        let added = try team.reverie(0, ["remote", "add", "https://ana:hunter2@example.com/memory.git"])
        #expect(added.status == 1 && added.stderr.contains("must not hold a password"), "\(added.stderr)")
        #expect(!added.stderr.contains("hunter2"))
        #expect(!(try team.machines[0].read(".reverie/config.toml").contains("hunter2")))
    }
}
