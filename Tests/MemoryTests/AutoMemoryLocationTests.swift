import Foundation
import Memory
import TestSupport
import Testing

@Suite struct AutoMemoryLocationTests {
    /// A home folder and a project, with no managed settings unless a test writes some.
    struct Machine {
        let home: Scratch
        let project: Scratch
        let managed: String
        init() throws {
            home = try Scratch("home")
            project = try Scratch("my_project.v2")
            managed = home.url("etc/managed-settings.json")
        }
        func find(_ environment: [String: String] = [:], in folder: String? = nil) throws -> AutoMemoryLocation {
            try AutoMemoryLocation.find(
                project: folder ?? project.path,
                environment: ["HOME": home.path].merging(environment) { $1 }, managedSettings: managed)
        }
        var key: String { AutoMemoryLocation.key(for: project.path) }
    }

    @Test func keysTurnEveryCharacterButASCIILettersAndDigitsIntoADashAsJavaScriptDoes() {
        #expect(AutoMemoryLocation.key(for: "/home/ana/my_project.v2") == "-home-ana-my-project-v2")
        #expect(AutoMemoryLocation.key(for: "/home/ana/Café") == "-home-ana-Caf-")
        // An emoji is two UTF-16 units in JavaScript, so two dashes.
        #expect(AutoMemoryLocation.key(for: "/p/🚀x") == "-p---x")
    }

    @Test func theDefaultIsTheProjectsFolderUnderHomeOrClaudeConfigDir() throws {
        let machine = try Machine()
        let plain = try machine.find()
        #expect(plain.projectFolder == machine.home.path + "/.claude/projects/" + machine.key)
        #expect(plain.memoryFolder == plain.projectFolder + "/memory" && plain.chosenBy == "Claude Code's default")
        let moved = try machine.find(["CLAUDE_CONFIG_DIR": "~/cfg"])
        #expect(moved.memoryFolder == machine.home.path + "/cfg/projects/\(machine.key)/memory")
    }

    @Test func everyWorktreeAndSubfolderOfARepositoryShareTheMainWorktreesMemory() throws {
        let machine = try Machine()
        try machine.project.git("init", "-q", "-b", "main")
        try machine.project.write("src/app.swift", "print(1)\n")
        try machine.project.git("add", "-A")
        try machine.project.git("-c", "user.name=T", "-c", "user.email=t@e", "commit", "-qm", "one")
        let linked = try Scratch("linked")
        try machine.project.git("worktree", "add", "-q", linked.path + "/wt", "-b", "side")
        let fromMain = try machine.find()
        #expect(try machine.find(in: machine.project.url("src")) == fromMain)
        #expect(try machine.find(in: linked.path + "/wt") == fromMain)
        #expect(fromMain.projectRoot == machine.project.path)
    }

    @Test func autoMemoryDirectoryComesFromManagedThenLocalThenUserSettingsNeverTheProjectsSharedOnes() throws {
        let machine = try Machine()
        // Anyone who commits to the project writes .claude/settings.json: it must not move memory.
        try machine.project.write(".claude/settings.json", #"{"autoMemoryDirectory": "/tmp/hostile"}"#)
        #expect(try machine.find().chosenBy == "Claude Code's default")
        try machine.home.write(".claude/settings.json", #"{"autoMemoryDirectory": "~/notes/user"}"#)
        #expect(try machine.find().memoryFolder == machine.home.path + "/notes/user")
        try machine.project.write(
            ".claude/settings.local.json", "{\"autoMemoryDirectory\": \"\(machine.home.path)/local\"}")
        #expect(try machine.find().memoryFolder == machine.home.path + "/local")
        try machine.home.write("etc/managed-settings.json", "{\"autoMemoryDirectory\": \"\(machine.home.path)/org\"}")
        let managed = try machine.find()
        #expect(
            managed.memoryFolder == machine.home.path + "/org" && managed.chosenBy.contains("managed-settings.json"))
        // The environment override is above every settings file; transcripts stay where they are.
        let override = try machine.find(["CLAUDE_COWORK_MEMORY_PATH_OVERRIDE": machine.home.path + "/cowork"])
        #expect(override.memoryFolder == machine.home.path + "/cowork")
        #expect(override.projectFolder == machine.home.path + "/.claude/projects/" + machine.key)
    }

    @Test func aBrokenOrRelativeSettingIsAnErrorThatNamesTheFile() throws {
        let machine = try Machine()
        try machine.home.write(".claude/settings.json", "{ autoMemoryDirectory: nope")
        #expect(throws: MemoryError.self) { try machine.find() }
        do { _ = try machine.find() } catch {
            #expect("\(error)".contains("settings.json") && "\(error)".contains("not valid JSON"))
        }
        try machine.home.write(".claude/settings.json", #"{"autoMemoryDirectory": "relative/mem"}"#)
        do {
            _ = try machine.find()
            Issue.record("a relative folder was accepted")
        } catch {
            #expect("\(error)".contains("absolute path"))
        }
    }

    @Test func aPathTooLongForAPlainKeyTakesTheOneHashedFolderClaudeCodeMade() throws {
        let machine = try Machine()
        let deep = machine.project.path + "/" + String(repeating: "nested-folder/", count: 16)
        try FileManager.default.createDirectory(atPath: deep, withIntermediateDirectories: true)
        #expect(throws: MemoryError.self) { try machine.find(in: deep) }
        let key = AutoMemoryLocation.key(for: deep)
        let hashed = String(key.prefix(200)) + "-1x9k2q"
        try FileManager.default.createDirectory(
            atPath: machine.home.url(".claude/projects/" + hashed), withIntermediateDirectories: true)
        #expect(try machine.find(in: deep).memoryFolder == machine.home.path + "/.claude/projects/\(hashed)/memory")
    }

    /// A setting may name any folder (a project's settings.local.json too, which a cloned
    /// repository can carry), and init makes it a repository whose first commit takes all it
    /// holds: the home folder, the project and Claude Code's folder are refused, through links too.
    @Test func aSettingThatPointsAtHomeTheProjectOrClaudeCodesFolderIsRefused() throws {
        let machine = try Machine()
        let link = machine.project.path + "-link-to-home"
        #expect(symlink(machine.home.path, link) == 0)
        defer { unlink(link) }
        let parent = (machine.home.path as NSString).deletingLastPathComponent
        for folder in [
            "~", "~/", "/", machine.home.path + "/.claude", machine.project.path, parent, link, link + "/../x/..",
        ] {
            try machine.project.write(".claude/settings.local.json", "{\"autoMemoryDirectory\": \"\(folder)\"}")
            do {
                let found = try machine.find()
                Issue.record("\(folder) was accepted as \(found.memoryFolder)")
            } catch {
                #expect(
                    "\(error)".contains("a folder of its own") && "\(error)".contains("settings.local.json"), "\(error)"
                )
            }
        }
        #expect(throws: MemoryError.self) { try machine.find(["CLAUDE_COWORK_MEMORY_PATH_OVERRIDE": "~"]) }
        // A folder of its own in any of them is fine, made or not yet.
        for folder in ["~/memory", machine.project.path + "/.notes", link + "/new/memory"] {
            try machine.project.write(".claude/settings.local.json", "{\"autoMemoryDirectory\": \"\(folder)\"}")
            #expect(throws: Never.self) { try machine.find() }
        }
    }
}

/// Claude Code leaves its lock behind: once the folder was seen quiet after it, a person's
/// later edit does not bring the consolidation back.
@Suite struct ConsolidationLockTests {
    @Test func aConsolidationSeenOverStaysOverWhenAPersonEditsLater() throws {
        let dir = try Scratch("lock")
        try dir.git("init", "-q", "-b", "main")
        let start = Date()
        try dir.write(".consolidate-lock", "\(getpid())")
        try dir.write("notes.md", "# Notes\n")
        for name in [".consolidate-lock", "notes.md"] {
            try FileManager.default.setAttributes([.modificationDate: start], ofItemAtPath: dir.url(name))
        }
        #expect(ConsolidationLock.holder(root: dir.path, now: start.addingTimeInterval(30)) != nil)
        #expect(ConsolidationLock.holder(root: dir.path, now: start.addingTimeInterval(200)) == nil)
        // A person edits: the folder changed just now, the lock is young, its process runs.
        try dir.write("notes.md", "# Notes\n\n- mine\n")
        try FileManager.default.setAttributes(
            [.modificationDate: start.addingTimeInterval(210)], ofItemAtPath: dir.url("notes.md"))
        #expect(ConsolidationLock.holder(root: dir.path, now: start.addingTimeInterval(220)) == nil)
        // Claude Code consolidates again: it touches the lock.
        try FileManager.default.setAttributes(
            [.modificationDate: start.addingTimeInterval(230)], ofItemAtPath: dir.url(".consolidate-lock"))
        #expect(ConsolidationLock.holder(root: dir.path, now: start.addingTimeInterval(240)) != nil)
    }
}
