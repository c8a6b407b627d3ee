import Dreaming

/// A test double: returns the plan it was given, whatever the input, and remembers what
/// it saw. Lives in Tests only (the built-in consolidator is the real one).
final class FixedConsolidator: Consolidator, @unchecked Sendable {
    let name = "test/fixed"
    let changes: [MemoryChange]
    private(set) var seen: DreamInput?

    init(_ changes: [MemoryChange]) {
        self.changes = changes
    }

    func plan(_ input: DreamInput) async throws -> DreamPlan {
        seen = input
        return DreamPlan(changes: changes)
    }
}
