import Sessions

/// The model's copy of memory during a dream: the memory tool's commands over it, and
/// the edits since the last recorded change, to close as one change or to undo.
protocol MemoryWorkspace {
    /// Runs one memory tool command (`view`, `create`, `str_replace`, `insert`, `delete`,
    /// `rename`); the text is what the model reads, errors included.
    mutating func memoryCommand(_ input: JSONValue) -> (text: String, isError: Bool)
    /// Whether memory changed since the last close.
    var hasOpenEdits: Bool { get }
    /// The files written (whole new text) and deleted since the last close; starts the next change.
    mutating func closeChange() -> (writes: [String: String], deletes: [String])
    /// Undoes the edits since the last close.
    mutating func discardChange()
}
