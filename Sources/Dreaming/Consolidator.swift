import Foundation
import Git
import Memory
import Sessions

/// Turns new sessions and today's memory into a dream plan. A consolidator only proposes:
/// the engine checks the plan against the guardrails and writes it.
public protocol Consolidator: Sendable {
    /// Named in every dream commit: "builtin/1", "anthropic/claude-…".
    var name: String { get }
    /// Proposes changes for `input`; nothing is written. Throws when it cannot plan at all.
    func plan(_ input: DreamInput) async throws -> DreamPlan
}
