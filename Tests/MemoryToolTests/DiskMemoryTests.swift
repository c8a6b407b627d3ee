import Foundation
import Memory
import MemoryTool
import TestSupport
import Testing

/// The working tree as the memory tool's store: atomic writes, no links followed, only memory.
@Suite struct DiskMemoryTests {
    /// A memory repo with a few files, as `reverie init` makes one.
    func folder() throws -> Scratch {
        let dir = try Scratch("disk-memory")
        _ = try MemoryRepo.initialize(at: dir.path)
        for (path, text) in [
            "python.md": "# Python\n", "topics/deploy.md": "# Deploy\n", "notes.md": "# Notes\n",
            "pinned.md": "---\npinned: true\n---\n",
        ] {
            try dir.write(path, text)
        }
        return dir
    }

    func disk(_ memory: Scratch) throws -> DiskMemory {
        DiskMemory(memory: try MemoryRepo.open(discoveringFrom: memory.path))
    }

    func link(_ memory: Scratch, _ relative: String, to target: String) throws {
        try FileManager.default.createSymbolicLink(atPath: memory.url(relative), withDestinationPath: target)
    }

    func path(_ raw: String) throws -> RepoPath { try RepoPath(raw) }

    @Test func writesAreAtomicKeepTheModeAndLeaveNoTemporaryFile() throws {
        let memory = try folder()
        var disk = try disk(memory)
        chmod(memory.url("python.md"), 0o755)
        try disk.write("# Python 3\n", to: path("python.md"))
        try disk.write("# New\n", to: path("a/b/new.md"))
        #expect(try memory.read("python.md") == "# Python 3\n")
        #expect(try memory.read("a/b/new.md") == "# New\n")
        var info = stat()
        lstat(memory.url("python.md"), &info)
        #expect(info.st_mode & 0o777 == 0o755, "a file's mode is kept")
        let names = try FileManager.default.subpathsOfDirectory(atPath: memory.path).filter { !$0.hasPrefix(".git/") }
        #expect(!names.contains { $0.contains(".reverie-") && $0.hasSuffix(".tmp") }, "\(names)")
        #expect(try disk.read(path("a/b/new.md")) == "# New\n")
        #expect(try disk.read(path("a/b")) == nil, "a folder is not a file")
        #expect(try disk.read(path("missing.md")) == nil)
    }

    @Test func linksAreNeverFollowedNorListed() throws {
        let memory = try folder()
        let outsideFolder = try Scratch("outside")
        let outside = outsideFolder.path
        try Data("secret\n".utf8).write(to: URL(fileURLWithPath: outside + "/s.md"))
        try link(memory, "out", to: outside)
        try link(memory, "in", to: "topics")
        try link(memory, "file.md", to: "python.md")
        var disk = try disk(memory)
        for raw in ["out/s.md", "in/deploy.md", "file.md"] {
            #expect(throws: MemoryError.self, "read \(raw)") { try disk.read(path(raw)) }
            #expect(throws: MemoryError.self, "write \(raw)") { try disk.write("x", to: path(raw)) }
            #expect(throws: MemoryError.self, "delete \(raw)") { try disk.delete(path(raw)) }
        }
        #expect(throws: MemoryError.self) { try disk.write("x", to: path("in/new.md")) }
        #expect(try String(contentsOfFile: outside + "/s.md", encoding: .utf8) == "secret\n")
        #expect(!FileManager.default.fileExists(atPath: memory.url("topics/new.md")))
        let listed = try disk.list(under: nil).keys.map(\.value).sorted()
        #expect(listed == [".gitignore", "notes.md", "pinned.md", "python.md", "topics/deploy.md"])
        #expect(try disk.list(under: path("topics")).keys.map(\.value) == ["topics/deploy.md"])
    }

    @Test func gitAndReverieAndIgnoredFilesAreNotMemory() throws {
        let memory = try folder()
        try memory.write(".gitignore", try memory.read(".gitignore") + "drafts/\n")
        try memory.write("drafts/idea.md", "idea\n")
        var disk = try disk(memory)
        #expect(try disk.read(path("drafts/idea.md")) == nil)
        #expect(throws: MemoryError.self) { try disk.write("x", to: path("drafts/other.md")) }
        #expect(throws: MemoryError.self) { try disk.write("x", to: path(".reverie/x.md")) }
        #expect(throws: MemoryError.self) { try disk.read(path(".reverie/config.toml")) }
        let listed = try disk.list(under: nil).keys.map(\.value)
        #expect(!listed.contains { $0.hasPrefix("drafts") || $0.hasPrefix(".reverie") || $0.hasPrefix(".git/") })
    }

    @Test func deletingTheLastFileOfAFolderRemovesTheFolder() throws {
        let memory = try folder()
        var disk = try disk(memory)
        try disk.write("x\n", to: path("a/b/c.md"))
        try disk.write("y\n", to: path("a/keep.md"))
        try disk.delete(path("a/b/c.md"))
        #expect(!memory.exists("a/b"))
        #expect(memory.exists("a/keep.md"))
        try disk.delete(path("a/keep.md"))
        #expect(!memory.exists("a"))
        try disk.delete(path("missing.md"))  // nothing there: nothing happens
    }

    @Test func textThatIsNotUTF8AndFilesThatAreNotRegularAreRefused() throws {
        let memory = try folder()
        try Data([0x23, 0xFF, 0xFE, 0x0A]).write(to: URL(fileURLWithPath: memory.url("binary.md")))
        #expect(mkfifo(memory.url("pipe.md"), 0o644) == 0)
        let disk = try disk(memory)
        #expect(throws: MemoryError.self) { try disk.read(path("binary.md")) }
        #expect(throws: MemoryError.self) { try disk.read(path("pipe.md")) }
        #expect(try disk.list(under: nil)[path("pipe.md")] == nil)
    }
}
