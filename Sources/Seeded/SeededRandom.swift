/// A small deterministic generator (SplitMix64): the same seed, the same numbers, on every
/// machine. The planted corpus of `reverie eval` and the tests' generated data use it, so
/// a seed names one corpus for good.
public struct SeededRandom: Sendable {
    /// Where the generator stands; the same state gives the same numbers after it.
    public var state: UInt64

    /// A generator that gives `seed`'s sequence.
    public init(seed: UInt64) {
        state = seed
    }

    /// The next number of the sequence.
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A number in 0..<n.
    public mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }

    /// One of `items`, which must not be empty.
    public mutating func pick<T>(_ items: [T]) -> T { items[below(items.count)] }
}
