import Memory
import MemoryTool
import Testing

/// The in-memory store a dream's model edits: what it lists, and what changed since a mark.
@Suite struct InMemoryMemoryTests {
    @Test func storesListsAndLogsEveryMutation() throws {
        var memory = InMemoryMemory(files: ["a.md": "a\n", "topics/db.md": "db", "topicsx.md": "x", "../bad": "kept"])
        #expect(memory.read(try RepoPath("a.md")) == "a\n")
        #expect(memory.list(under: try RepoPath("topics")) == [try RepoPath("topics/db.md"): 2])
        #expect(memory.list(under: nil).count == 3, "a path RepoPath refuses is never listed")
        memory.write("b", to: try RepoPath("b.md"))
        memory.delete(try RepoPath("a.md"))
        memory.delete(try RepoPath("nothing.md"))
        #expect(memory.log == [.write(path: "b.md"), .delete(path: "a.md")])
        #expect(memory.files["../bad"] == "kept")
    }

    @Test func changesAreJudgedByContentAndClosedOneAtATime() throws {
        var memory = InMemoryMemory(files: ["a.md": "a\n", "b.md": "b\n"])
        memory.write("A\n", to: try RepoPath("a.md"))
        memory.write("c\n", to: try RepoPath("c.md"))
        #expect(memory.closeChange() == InMemoryMemory.Changes(writes: ["a.md": "A\n", "c.md": "c\n"]))
        #expect(memory.pendingChanges.isEmpty)

        // A rename is a delete and a write; an edit undone is no change.
        memory.write("b\n", to: try RepoPath("d.md"))
        memory.delete(try RepoPath("b.md"))
        memory.write("x\n", to: try RepoPath("a.md"))
        memory.write("A\n", to: try RepoPath("a.md"))
        #expect(memory.closeChange() == InMemoryMemory.Changes(writes: ["d.md": "b\n"], deletes: ["b.md"]))
        #expect(
            memory.changes(since: memory.original)
                == InMemoryMemory.Changes(writes: ["a.md": "A\n", "c.md": "c\n", "d.md": "b\n"], deletes: ["b.md"]))
        let mark = memory.mark()
        #expect(memory.lastClose == mark)
        memory.delete(try RepoPath("c.md"))
        #expect(memory.changes(since: mark) == InMemoryMemory.Changes(deletes: ["c.md"]))
        #expect(memory.pendingChanges == InMemoryMemory.Changes(deletes: ["c.md"]))
    }

    @Test func memoryIsBuiltFromParsedFiles() throws {
        let text = "---\npinned: true\n---\n# Rules\n"
        let memory = InMemoryMemory([try MemoryFile.parse(path: RepoPath("rules.md"), text: text)])
        #expect(memory.files == ["rules.md": text])
        #expect(MemoryFile.pinMarker == "<!-- pinned -->")
    }
}
