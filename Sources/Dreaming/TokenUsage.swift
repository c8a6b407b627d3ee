/// Tokens a dream sent to a model and got back, as the API's `usage` counts them.
public struct TokenUsage: Sendable, Equatable, Codable {
    /// Tokens sent, cached or not.
    public var input: Int
    /// Tokens received.
    public var output: Int

    /// A count of `input` and `output` tokens; zero by default, to sum into.
    public init(input: Int = 0, output: Int = 0) {
        self.input = input
        self.output = output
    }

    /// Both counts added.
    public static func + (a: TokenUsage, b: TokenUsage) -> TokenUsage {
        TokenUsage(input: a.input + b.input, output: a.output + b.output)
    }

    /// A count a server reported, bounded: a hostile or broken one must not overflow a sum.
    public static func count(_ reported: Int?) -> Int { min(max(reported ?? 0, 0), 1 << 40) }

    /// As the trailer `Reverie-Tokens` holds it: "1234 in, 567 out".
    public var trailer: String { "\(input) in, \(output) out" }

    /// Reads a `Reverie-Tokens` trailer ("1234 in, 567 out"); nil unless it holds exactly two numbers.
    public init?(trailer: String) {
        let numbers = trailer.split(whereSeparator: { !$0.isNumber }).compactMap { Int($0) }
        guard numbers.count == 2 else { return nil }
        self.init(input: numbers[0], output: numbers[1])
    }
}
