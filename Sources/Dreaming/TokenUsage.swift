/// Tokens a dream sent to a model and got back, as the API's `usage` counts them.
public struct TokenUsage: Sendable, Equatable, Codable {
    public var input: Int
    public var output: Int

    public init(input: Int = 0, output: Int = 0) {
        self.input = input
        self.output = output
    }

    public static func + (a: TokenUsage, b: TokenUsage) -> TokenUsage {
        TokenUsage(input: a.input + b.input, output: a.output + b.output)
    }

    /// A count a server reported, bounded: a hostile or broken one must not overflow a sum.
    public static func count(_ reported: Int?) -> Int { min(max(reported ?? 0, 0), 1 << 40) }

    /// As the trailer `Reverie-Tokens` holds it: "1234 in, 567 out".
    public var trailer: String { "\(input) in, \(output) out" }

    public init?(trailer: String) {
        let numbers = trailer.split(whereSeparator: { !$0.isNumber }).compactMap { Int($0) }
        guard numbers.count == 2 else { return nil }
        self.init(input: numbers[0], output: numbers[1])
    }
}
