import Foundation
import Memory
import MemoryTool

/// A memory tool over an in-memory copy of `files`.
func memoryTool(_ files: [String: String], limits: MemoryToolLimits = .standard) -> MemoryTool<InMemoryMemory> {
    MemoryTool(storage: InMemoryMemory(files: files), limits: limits)
}

/// The model's input for one call, as JSON text.
func input(_ fields: [String: any Sendable]) -> String {
    guard let data = try? JSONSerialization.data(withJSONObject: fields, options: [.sortedKeys]) else { return "" }
    return String(decoding: data, as: UTF8.self)
}

func ok(_ text: String) -> ToolResult { ToolResult(text: text, isError: false) }
func refused(_ text: String) -> ToolResult { ToolResult(text: text, isError: true) }

extension MemoryTool where Storage == InMemoryMemory {
    /// Runs one call given as fields, through the JSON the model would send.
    mutating func call(_ fields: [String: any Sendable]) -> ToolResult { run(json: input(fields)) }

    /// Whether nothing was ever written: memory is as given and the log is empty.
    var untouched: Bool { storage.changes(since: storage.original).isEmpty && storage.log.isEmpty }
}
