import Foundation
import TestSupport
import Testing

/// The `reverie` binary as a person runs it, checked with the git CLI.
@Suite struct CLITests {
    func reverie(
        _ arguments: [String], in directory: String? = nil, environment: [String: String] = [:]
    ) throws -> Shell.Result {
        try ReverieBinary.run(arguments, in: directory, environment: environment)
    }

    @Test func initThenGitLogShowsOneCommitOnMain() throws {
        let dir = try Scratch()
        let result = try reverie(["init", dir.url("m")])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("Created memory repo \(dir.url("m")) on main."))
        #expect(
            try Shell.check("git", ["log", "--oneline", "main"], in: dir.url("m")).split(separator: "\n").count == 1)
        #expect(try Shell.check("git", ["fsck", "--strict", "--no-dangling"], in: dir.url("m")) == "")
        let again = try reverie(["init", dir.url("m")])
        #expect(again.status == 0 && again.stdout.contains("already a memory repo; nothing to do"))
    }

    @Test func statusAndLogAcceptDashCBeforeOrAfterAndTheEnvironment() throws {
        let dir = try Scratch()
        _ = try reverie(["init", dir.path])
        try dir.write("notes.md", "# Notes\n")
        for arguments in [["-C", dir.path, "status"], ["status", "-C", dir.path]] {
            let result = try reverie(arguments)
            #expect(result.status == 0, "\(result.stderr)")
            #expect(result.stdout.contains("Pending       1 uncommitted: notes.md"))
        }
        let viaEnvironment = try reverie(["status", "--json"], environment: ["REVERIE_REPO": dir.path])
        let json = try #require(JSONSerialization.jsonObject(with: Data(viaEnvironment.stdout.utf8)) as? [String: Any])
        #expect(json["pending"] as? [String] == ["notes.md"])
        #expect(json["commits"] as? Int == 1)
        #expect(json["path"] as? String == dir.path)
        // From a subfolder, the repo around it is found.
        try dir.write("topics/x.md", "x")
        #expect(try reverie(["status"], in: dir.url("topics")).stdout.contains("Memory repo   \(dir.path)"))

        let log = try reverie(["log", "-n", "1", "--json"], in: dir.path)
        let entries = try #require(JSONSerialization.jsonObject(with: Data(log.stdout.utf8)) as? [[String: Any]])
        #expect(entries.count == 1 && entries[0]["summary"] as? String == "Start memory repo")
        #expect(try reverie(["log"], in: dir.path).stdout.contains("Start memory repo"))
    }

    @Test func failuresAreOneLineOnStderrWithANonZeroExit() throws {
        let dir = try Scratch()
        let notARepo = try reverie(["status", "-C", dir.path])
        #expect(notARepo.status == 1)
        #expect(notARepo.stdout.isEmpty)
        #expect(
            notARepo.stderr
                == "reverie: \(dir.path) is not inside a git repository; run `reverie init` there or pass -C DIR\n")

        try dir.git("init", "-q", "-b", "master")
        try dir.write("a.md", "a")
        try dir.git("add", "-A")
        try dir.git("commit", "-qm", "a")
        let refused = try reverie(["init", dir.path])
        #expect(refused.status == 1)
        #expect(refused.stderr.hasPrefix("reverie: cannot adopt \(dir.path): its history is on branch 'master'"))
        #expect(refused.stderr.split(separator: "\n").count == 1)

        try dir.git("branch", "-m", "master", "main")
        try dir.write(".reverie/config.toml", "[dream]\nmerge = \"sometimes\"\n")
        let badConfig = try reverie(["status", "-C", dir.path])
        #expect(badConfig.status == 1)
        #expect(badConfig.stderr == "reverie: .reverie/config.toml:2: dream.merge: must be \"manual\" or \"auto\"\n")

        try dir.write(".reverie/config.toml", "[dream]\r\nmerge = \"manual\"\u{0}\r\nmerge = \"auto\"\r\n")
        let nul = try reverie(["status", "-C", dir.path])
        #expect(nul.status == 1)
        #expect(
            nul.stderr == "reverie: .reverie/config.toml:2: has a NUL byte (column 17), which a settings file must not "
                + "hold; delete it, for instance with sed -i 's/\\x00//g' .reverie/config.toml\n")

        let badCount = try reverie(["log", "-n", "0", "-C", dir.path])
        #expect(badCount.status != 0 && badCount.stderr.contains("-n must be at least 1"))
    }

    @Test func helpShowsExamples() throws {
        let help = try reverie(["--help"])
        #expect(help.status == 0)
        #expect(help.stdout.contains("Examples:") && help.stdout.contains("reverie init ~/agent-memory"))
        for command in ["init", "status", "log"] {
            let sub = try reverie([command, "--help"])
            #expect(
                sub.status == 0 && sub.stdout.contains("Examples:") && sub.stdout.contains("-C <dir>"), "\(command)")
        }
    }
}
