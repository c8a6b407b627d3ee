import Foundation
import Git
import TestSupport
import Testing

@Suite struct AttackGitTests {
    /// A person replaced the folder `docs` by a link to `real` (inside the repository);
    /// `rollback --to` a commit before that writes the folder back, moves main, then fails
    /// to stage `docs` (a folder now) and leaves `.git/REVERIE_MOVING_MAIN`: every later
    /// run fails the same way and the daemon stays paused.
    @Test func aLinkTurnedBackIntoAFolderIsRestoredWholly() throws {
        let fixture = try GitFixture()
        try fixture.dir.write("docs/d.md", "# D\n")
        try fixture.dir.git("add", "-A")
        try fixture.dir.git("commit", "-qm", "A docs folder")
        let before = try fixture.repo.resolve("main")
        try fixture.dir.git("mv", "docs", "real")
        try Shell.check("ln", ["-s", "real", "docs"], in: fixture.dir.path)
        try fixture.dir.git("add", "-A")
        try fixture.dir.git("commit", "-qm", "docs is a link to real now")

        #expect(throws: Never.self) { try fixture.repo.restoreOnMain(treeOf: before, message: "Restore") }
        #expect(!fixture.dir.exists(".git/REVERIE_MOVING_MAIN"))
        #expect(try fixture.status() == "")
        #expect(try fixture.dir.read("docs/d.md") == "# D\n")
    }
}
