/// A small deterministic generator (SplitMix64) for tests: the same seed, the same data.
public struct SeededRandom: Sendable {
    public var state: UInt64

    public init(seed: UInt64) {
        state = seed
    }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A number in 0..<n.
    public mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }

    public mutating func pick<T>(_ items: [T]) -> T { items[below(items.count)] }
}

extension SeededRandom {
    public static let alphanumerics = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"

    /// `count` characters drawn from `alphabet`, the same for the same seed: fake keys that
    /// look random to a scanner, built at run time so the repository holds none.
    public static func text(_ alphabet: String, _ count: Int, seed: UInt64 = 7) -> String {
        var random = SeededRandom(seed: seed &+ UInt64(count) &* 31 &+ UInt64(alphabet.count))
        let characters = Array(alphabet)
        return String((0..<count).map { _ in random.pick(characters) })
    }
}
