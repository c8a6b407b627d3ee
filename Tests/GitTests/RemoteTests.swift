import Foundation
import Git
import TestSupport
import Testing

/// Fetch and push through libgit2 against real remotes on this machine: a bare repository
/// over file://, `git daemon` (git://) and smart HTTP with basic authentication.
@Suite struct RemoteTests {
    let local: GitFixture
    let remote: BareRemote

    init() throws {
        local = try GitFixture()
        remote = try BareRemote()
    }

    /// Pushes main, clones it with git, commits there, pushes with git, fetches back.
    func roundTrip(url: String, credentials: RemoteCredentials = .forDaemon) throws {
        let tip = try local.repo.tip(ofBranch: "main")!
        try local.repo.push(to: url, updates: [(tip, "refs/heads/main")], credentials: credentials)
        #expect(try remote.tip("main") == tip.hex)

        let other = try Scratch("other")
        try Shell.check("git", ["clone", "-q", remote.fileURL, other.path])
        try other.write("notes.md", "# Notes\n\n- first\n- from the other clone\n")
        try other.git("commit", "-qam", "Other clone's edit")
        try other.git("push", "-q", "origin", "main")
        let theirs = try other.git("rev-parse", "main").trimmingCharacters(in: .whitespacesAndNewlines)

        let heads = try local.repo.fetch(
            from: url, refspecs: ["refs/heads/main:refs/remotes/origin/main"],
            credentials: credentials)
        #expect(heads["refs/heads/main"]?.hex == theirs)
        // The objects arrived; no reference moved by itself.
        #expect(try local.dir.git("cat-file", "-t", theirs) == "commit\n")
        #expect(try local.repo.tip(ofReference: "refs/remotes/origin/main") == nil)
        #expect(try local.dir.fsck() == "")
        #expect(try remote.fsck() == "")
    }

    @Test func aURLGitCannotParseIsSaidSo() throws {
        #expect(throws: GitError.invalidRemoteURL(url: "")) {
            try local.repo.fetch(from: "", refspecs: ["refs/heads/main"], credentials: .forDaemon)
        }
    }

    @Test func fetchAndPushOverFile() throws {
        try roundTrip(url: remote.fileURL)
    }

    @Test func fetchAndPushOverGitDaemon() throws {
        let daemon = try GitDaemonServer(serving: remote)
        try roundTrip(url: daemon.url)
    }

    @Test func fetchAndPushOverHTTPWithACredentialHelper() throws {
        let server = try GitHTTPServer(serving: remote)
        let store = local.dir.url("../store-\(UUID().uuidString.prefix(6))")
        try Data("http://\(server.user):\(server.password)@127.0.0.1:\(server.port)\n".utf8)
            .write(to: URL(fileURLWithPath: store))
        try local.dir.git("config", "credential.helper", "store --file=\(store)")
        try roundTrip(url: server.url)
    }

    @Test func httpPasswordFromAskpass() throws {
        let server = try GitHTTPServer(serving: remote)
        let script = local.dir.url("../askpass-\(UUID().uuidString.prefix(6)).sh")
        try Data("#!/bin/sh\ncase \"$1\" in Username*) echo \(server.user);; *) echo \(server.password);; esac\n".utf8)
            .write(to: URL(fileURLWithPath: script))
        chmod(script, 0o755)
        try local.dir.git("config", "core.askPass", script)
        try roundTrip(url: server.url)
    }

    @Test func aWrongPasswordIsOneLineSayingWhatToFix() throws {
        let server = try GitHTTPServer(serving: remote)
        let store = local.dir.url("../store-\(UUID().uuidString.prefix(6))")
        try Data("http://\(server.user):wrong@127.0.0.1:\(server.port)\n".utf8).write(to: URL(fileURLWithPath: store))
        try local.dir.git("config", "credential.helper", "store --file=\(store)")
        let tip = try local.repo.tip(ofBranch: "main")!
        do {
            try local.repo.push(to: server.url, updates: [(tip, "refs/heads/main")], credentials: .forDaemon)
            Issue.record("a wrong password pushed")
        } catch {
            guard case .authentication(let url, _) = error else {
                Issue.record("\(error)")
                return
            }
            #expect(url == server.url)
            #expect(!error.description.contains("\n") && error.description.contains("credential helper"), "\(error)")
            #expect(!error.description.contains("wrong"))
        }
        // Git's convention: a refused credential is rejected, so the helper forgets it.
        #expect(try String(contentsOfFile: store, encoding: .utf8).isEmpty)
        #expect(try remote.tip("main") == nil)
    }

    @Test func noCredentialsAtAllSaysHowToSetThemUp() throws {
        let server = try GitHTTPServer(serving: remote)
        do {
            _ = try local.repo.fetch(from: server.url, refspecs: ["refs/heads/main"], credentials: .forDaemon)
            Issue.record("fetched without credentials")
        } catch {
            guard case .authentication = error else {
                Issue.record("\(error)")
                return
            }
            #expect(error.description.contains("git config credential.helper"), "\(error)")
        }
    }

    @Test func aStoppedServerIsUnreachableNotAFault() throws {
        let server = try GitHTTPServer(serving: remote)
        server.stop()
        do {
            _ = try local.repo.fetch(from: server.url, refspecs: ["refs/heads/main"], credentials: .forDaemon)
            Issue.record("fetched from a stopped server")
        } catch {
            guard case .unreachable = error else {
                Issue.record("\(error)")
                return
            }
        }
    }

    @Test func pushNeverForcesOverCommitsItHasNot() throws {
        let tip = try local.repo.tip(ofBranch: "main")!
        try local.repo.push(to: remote.fileURL, updates: [(tip, "refs/heads/main")], credentials: .forDaemon)
        let other = try Scratch("other")
        try Shell.check("git", ["clone", "-q", remote.fileURL, other.path])
        try other.write("prefs.md", "# Preferences\n- theirs\n")
        try other.git("commit", "-qam", "Theirs")
        try other.git("push", "-q", "origin", "main")
        let theirs = try remote.tip("main")

        try local.dir.write("notes.md", "# Notes\n\n- ours\n")
        let ours = try #require(try local.repo.commitWorkingTree(paths: ["notes.md"], message: "Ours"))
        do {
            try local.repo.push(to: remote.fileURL, updates: [(ours, "refs/heads/main")], credentials: .forDaemon)
            Issue.record("a push that would drop the remote's commit went through")
        } catch {
            guard case .pushRejected(let reference, let reason) = error else {
                Issue.record("\(error)")
                return
            }
            #expect(reference == "refs/heads/main" && reason.contains("never force-pushes"))
        }
        #expect(try remote.tip("main") == theirs)
        // A branch it was asked to delete goes.
        try other.git("push", "-q", "origin", "main:refs/heads/dreams/x")
        try local.repo.push(to: remote.fileURL, updates: [(nil, "refs/heads/dreams/x")], credentials: .forDaemon)
        #expect(try remote.tip("dreams/x") == nil)
    }

    @Test func twoClonesPushingAtOnceToAFolderNeverOverwriteEachOther() throws {
        let base = try local.repo.tip(ofBranch: "main")!
        try local.repo.push(to: remote.fileURL, updates: [(base, "refs/heads/main")], credentials: .forDaemon)
        let other = try Scratch("other")
        try Shell.check("git", ["clone", "-q", remote.fileURL, other.path])
        let second = try Repository.open(at: other.path)
        for round in 0..<25 {
            let tip = try local.repo.tip(ofBranch: "main")!
            _ = try second.fetch(from: remote.fileURL, refspecs: ["refs/heads/main"], credentials: .forDaemon)
            // Both clones at the remote's main, each with a commit of its own on top.
            try Shell.check("git", ["reset", "-q", "--hard", tip.hex], in: other.path)
            try local.dir.write("notes.md", "round \(round) here\n")
            let mine = try #require(try local.repo.commitWorkingTree(paths: ["notes.md"], message: "Mine \(round)"))
            try other.write("prefs.md", "round \(round) there\n")
            let theirs = try #require(try second.commitWorkingTree(paths: ["prefs.md"], message: "Theirs \(round)"))
            let outcomes = Outcomes()
            let clones = UncheckedPair(local.repo, second), url = remote.fileURL
            DispatchQueue.concurrentPerform(iterations: 2) { index in
                let (repository, commit) = index == 0 ? (clones.first, mine) : (clones.second, theirs)
                do throws(GitError) {
                    try repository.push(to: url, updates: [(commit, "refs/heads/main")], credentials: .forDaemon)
                    outcomes.record(commit.hex)
                } catch .pushRejected {
                    // the other one landed first
                } catch {
                    outcomes.record("unexpected \(error)")
                }
            }
            // At most one landed, and the remote holds exactly that one.
            #expect(outcomes.values.count == 1, "round \(round): \(outcomes.values)")
            #expect(try remote.tip("main") == outcomes.values.first)
            if outcomes.values.first != mine.hex {
                _ = try local.repo.fetch(from: remote.fileURL, refspecs: ["refs/heads/main"], credentials: .forDaemon)
                try local.dir.git("reset", "-q", "--hard", try #require(try remote.tip("main")))
            }
        }
        #expect(try remote.fsck() == "")
    }

    @Test func aPasswordInAURLIsNeverShown() {
        #expect(RemoteURL.displayed("https://ana:hunter2@example.com/m.git") == "https://ana:***@example.com/m.git")
        #expect(RemoteURL.displayed("git@github.com:acme/memory.git") == "git@github.com:acme/memory.git")
        #expect(
            RemoteURL.compareURL("git@github.com:acme/memory.git", branch: "dreams/1")
                == "https://github.com/acme/memory/compare/main...dreams/1?expand=1")
        #expect(
            RemoteURL.compareURL("https://gitlab.com/acme/memory.git", branch: "dreams/1")
                == "https://gitlab.com/acme/memory/-/merge_requests/new?merge_request%5Bsource_branch%5D=dreams/1&merge_request%5Btarget_branch%5D=main"
        )
        #expect(
            RemoteURL.compareURL("ssh://git@github.com/acme/memory", branch: "dreams/1")
                == "https://github.com/acme/memory/compare/main...dreams/1?expand=1")
        #expect(RemoteURL.compareURL("file:///srv/memory.git", branch: "dreams/1") == nil)
    }
}

/// What concurrent pushes reported.
private final class Outcomes: @unchecked Sendable {
    private let lock = NSLock()
    private(set) var values: [String] = []

    func record(_ value: String) {
        lock.lock()
        values.append(value)
        lock.unlock()
    }
}

/// Two repositories, each used by one thread only.
private struct UncheckedPair: @unchecked Sendable {
    let first: Repository
    let second: Repository

    init(_ first: Repository, _ second: Repository) {
        self.first = first
        self.second = second
    }
}
