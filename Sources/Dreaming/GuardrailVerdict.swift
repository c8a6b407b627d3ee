/// One guardrail's judgement of a dream, as `reverie show` prints it.
public struct GuardrailVerdict: Sendable, Equatable, Encodable, CustomStringConvertible {
    /// The guardrail, as `reverie show` names it: "paths", "secrets", "changed share", …
    public let name: String
    /// Whether the dream passed it; one failure keeps the dream from merging on its own.
    public let passed: Bool
    /// What it found, for a person.
    public let detail: String

    /// `pass  <name>: <detail>`, or `FAIL` for a failure.
    public var description: String { "\(passed ? "pass" : "FAIL")  \(name): \(detail)" }
}
