import MemoryTool
import Sessions

/// The model's copy of memory: the memory tool over an in-memory store of `main`'s files.
struct ToolWorkspace: MemoryWorkspace {
    private var tool: MemoryTool<InMemoryMemory>

    /// - Parameter maxFileBytes: the largest file the model may write: the guardrail's limit,
    ///   so a dream that passes the tool never fails the guardrail for its size.
    init(files: [String: String], maxFileBytes: Int = MemoryToolLimits.standard.maxFileBytes) {
        tool = MemoryTool(
            storage: InMemoryMemory(files: files),
            limits: MemoryToolLimits(
                maxFileBytes: maxFileBytes, maxViewCharacters: MemoryToolLimits.standard.maxViewCharacters))
    }

    mutating func memoryCommand(_ input: JSONValue) -> (text: String, isError: Bool) {
        let result = tool.run(json: input.compactText)
        return (result.text, result.isError)
    }

    var hasOpenEdits: Bool { !tool.storage.pendingChanges.isEmpty }

    mutating func closeChange() -> (writes: [String: String], deletes: [String]) {
        let changes = tool.storage.closeChange()
        return (changes.writes, changes.deletes)
    }

    mutating func discardChange() {
        tool.storage.discardChange()
    }
}
