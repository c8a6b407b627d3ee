/// One guardrail's judgement of a dream, as `reverie show` prints it.
public struct GuardrailVerdict: Sendable, Equatable, Encodable, CustomStringConvertible {
    public let name: String
    public let passed: Bool
    public let detail: String

    public var description: String { "\(passed ? "pass" : "FAIL")  \(name): \(detail)" }
}
